//! What a picture of the diagram holds (`docs/editor.md`, "Export a picture"): its format,
//! legend and lists, as the toolbar's Picture menu asks for it and the reducer counts it.

/// The file format of a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PictureFormat {
    #[default]
    Svg,
    /// A PNG at twice the picture's size.
    Png,
}

impl PictureFormat {
    pub fn extension(self) -> &'static str {
        match self {
            PictureFormat::Svg => "svg",
            PictureFormat::Png => "png",
        }
    }
}

/// What a picture holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureRequest {
    pub format: PictureFormat,
    /// A legend of the clusters' and networks' colours.
    pub legend: bool,
    /// The selected node's ordered lists.
    pub lists: bool,
}

impl Default for PictureRequest {
    fn default() -> Self {
        PictureRequest { format: PictureFormat::Svg, legend: true, lists: true }
    }
}
