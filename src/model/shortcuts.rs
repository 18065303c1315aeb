//! Keyboard shortcuts: which key does what (pure, natively tested), and the help overlay's table.

use crate::model::state::{Action, Replacement, Tool};

/// What a key press asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Undo,
    Redo,
    Delete,
    Duplicate,
    SelectAll,
    Escape,
    Tool(Tool),
    Help,
    ZoomIn,
    ZoomOut,
    Fit,
    ToggleSnap,
    AutoLayout,
    /// Move the selection by grid steps.
    Nudge(i32, i32),
    Export,
    New,
}

/// The command for a key (`KeyboardEvent.key`) with its modifiers; `ctrl` includes the Mac's
/// Command key.
pub fn command(key: &str, ctrl: bool, shift: bool, alt: bool) -> Option<Command> {
    if alt {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    if ctrl {
        return match lower.as_str() {
            "z" if shift => Some(Command::Redo),
            "z" => Some(Command::Undo),
            "y" => Some(Command::Redo),
            "d" => Some(Command::Duplicate),
            "a" => Some(Command::SelectAll),
            "s" => Some(Command::Export),
            _ => None,
        };
    }
    let step = if shift { 5 } else { 1 };
    Some(match key {
        "Delete" | "Backspace" => Command::Delete,
        "Escape" => Command::Escape,
        "?" => Command::Help,
        "+" | "=" => Command::ZoomIn,
        "-" | "_" => Command::ZoomOut,
        "ArrowLeft" => Command::Nudge(-step, 0),
        "ArrowRight" => Command::Nudge(step, 0),
        "ArrowUp" => Command::Nudge(0, -step),
        "ArrowDown" => Command::Nudge(0, step),
        _ if shift && lower != "?" => return None,
        _ => match lower.as_str() {
            "v" => Command::Tool(Tool::Select),
            "s" => Command::Tool(Tool::AddSubnet),
            "r" => Command::Tool(Tool::AddRouter),
            "n" => Command::Tool(Tool::AddNode),
            "l" => Command::Tool(Tool::Link),
            "f" => Command::Fit,
            "g" => Command::ToggleSnap,
            "a" => Command::AutoLayout,
            _ => return None,
        },
    })
}

/// The app action of a command; `None` for the canvas's own view commands (zoom, fit).
pub fn action(command: Command) -> Option<Action> {
    Some(match command {
        Command::Undo => Action::Undo,
        Command::Redo => Action::Redo,
        Command::Delete => Action::DeleteSelection,
        Command::Duplicate => Action::DuplicateSelection,
        Command::SelectAll => Action::SelectAll,
        Command::Escape => Action::Escape,
        Command::Tool(t) => Action::SetTool(t),
        Command::Help => Action::Help(None),
        Command::ToggleSnap => Action::ToggleSnap,
        Command::AutoLayout => Action::Edit(crate::model::edit::EditAction::AutoLayout),
        Command::Nudge(dx, dy) => Action::Nudge(dx, dy),
        Command::Export => Action::Export,
        Command::New => Action::RequestReplace(Replacement::New),
        Command::ZoomIn | Command::ZoomOut | Command::Fit => return None,
    })
}

/// The help overlay's table: keys and what they do.
pub const HELP: &[(&str, &str)] = &[
    ("V", "select tool: click, Shift+click to add, drag to move"),
    ("S", "subnet tool: click the canvas to place a subnet"),
    ("R", "router tool: click to place (on a subnet: attached to it)"),
    ("N", "node tool: click to place (on a subnet: attached, next free address)"),
    ("L", "link tool: drag from a node or router to a subnet"),
    ("drag a handle", "the dot on top of a node or router: drag it to a subnet to attach"),
    ("Shift+drag", "box select on empty space"),
    ("drag empty space", "pan; the wheel zooms at the pointer"),
    ("Ctrl+Z", "undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "redo"),
    ("Delete, Backspace", "delete the selection with its links"),
    ("Ctrl+D", "duplicate the selection"),
    ("Ctrl+A", "select everything"),
    ("Arrows (Shift: x5)", "move the selection by grid steps (after a click on the canvas)"),
    ("Tab into the diagram", "focus its items: arrows go to the nearest item that way"),
    ("Enter, Space (on an item)", "select the focused item (Shift: add it to the selection)"),
    ("F", "fit the diagram to the screen"),
    ("+ / -", "zoom in / out"),
    ("G", "snap to grid on / off"),
    ("A", "automatic layout"),
    ("Ctrl+S", "export the model as a file"),
    ("Shift+click (placing)", "place and keep the tool for the next one"),
    ("double-click a tool", "keep Subnet, Router or Node on after each placement (until Escape)"),
    ("Escape", "close, leave the tool, clear the selection"),
    ("?", "this help"),
];

/// Whether a key pressed on an element with this tag (and `contenteditable` state) belongs to
/// the element rather than to the shortcuts (pure): form controls and editable text keep every
/// key but Escape.
pub fn key_belongs_to_control(tag: &str, editable: bool, key: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    let control = matches!(tag.as_str(), "input" | "textarea" | "select" | "option") || editable;
    control && key != "Escape"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_redo_and_friends() {
        assert_eq!(command("z", true, false, false), Some(Command::Undo));
        assert_eq!(command("Z", true, true, false), Some(Command::Redo));
        assert_eq!(command("y", true, false, false), Some(Command::Redo));
        assert_eq!(command("d", true, false, false), Some(Command::Duplicate));
        assert_eq!(command("Delete", false, false, false), Some(Command::Delete));
        assert_eq!(command("?", false, true, false), Some(Command::Help));
        assert_eq!(command("ArrowLeft", false, true, false), Some(Command::Nudge(-5, 0)));
        assert_eq!(command("n", false, false, false), Some(Command::Tool(Tool::AddNode)));
        assert_eq!(command("N", false, true, false), None, "Shift+N is not a shortcut");
        assert_eq!(command("z", false, false, true), None);
        assert_eq!(command("q", false, false, false), None);
    }

    #[test]
    fn keys_in_form_controls_and_editable_text_are_not_shortcuts() {
        for tag in ["INPUT", "select", "TEXTAREA", "option"] {
            for key in ["Backspace", "Delete", "a", "ArrowUp", "z"] {
                assert!(key_belongs_to_control(tag, false, key), "{tag} {key}");
            }
            assert!(!key_belongs_to_control(tag, false, "Escape"));
        }
        assert!(key_belongs_to_control("div", true, "Backspace"), "contenteditable");
        assert!(!key_belongs_to_control("svg", false, "Backspace"));
        assert!(!key_belongs_to_control("BODY", false, "Delete"));
    }

    #[test]
    fn view_commands_stay_with_the_canvas() {
        assert_eq!(action(Command::Fit), None);
        assert_eq!(action(Command::Undo), Some(Action::Undo));
        assert_eq!(action(Command::Tool(Tool::Link)), Some(Action::SetTool(Tool::Link)));
    }

    #[test]
    fn every_tool_key_is_in_the_help() {
        for tool in Tool::ALL {
            assert_eq!(
                command(&tool.key().to_ascii_lowercase(), false, false, false),
                Some(Command::Tool(tool))
            );
            assert!(HELP.iter().any(|(k, _)| *k == tool.key()));
        }
    }
}
