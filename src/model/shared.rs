//! A value shared by identity: two are equal when they are the same `Rc` (cheap props and
//! cheap comparisons for large derived data such as the scene, the overlay, a gesture's sets).

use std::rc::Rc;

/// A shared value compared by identity (cheap props for large data).
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
