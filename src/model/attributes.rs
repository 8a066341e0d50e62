//! The values of columns partnernet does not know, kept as they are.

use std::sync::Arc;

/// An organisation's or relation's values of the columns partnernet does
/// not know (`catalogue`, `commons`…), by column name, kept as they are for
/// the exports. Names are unique and kept in order (as bytes); each name is
/// shared with the table's header, so a value costs its text and 32 bytes,
/// and an organisation without such values costs 16 bytes and no allocation.
///
/// ```
/// use partnernet::model::Attributes;
/// let mut a: Attributes = [("commons", "Museum X"), ("catalogue", "c-1"), ("commons", "later")]
///     .into_iter()
///     .collect();
/// assert_eq!(a.get("commons"), Some("Museum X")); // the first of a name is kept
/// assert_eq!(a.keys().collect::<Vec<_>>(), ["catalogue", "commons"]);
/// a.insert_if_absent("type", "chapter");
/// assert_eq!(a.len(), 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Attributes(Box<[(Arc<str>, Box<str>)]>);

impl Attributes {
    /// No values.
    pub fn new() -> Attributes {
        Attributes::default()
    }

    /// The value of column `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.position(name).ok().map(|i| &*self.0[i].1)
    }

    /// The column names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| &**k)
    }

    /// The names and values, in the names' order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (&**k, &**v))
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets the value of `name` unless it has one.
    pub fn insert_if_absent(&mut self, name: impl Into<Arc<str>>, value: impl Into<Box<str>>) {
        let name = name.into();
        if let Err(at) = self.position(&name) {
            let mut all = std::mem::take(&mut self.0).into_vec();
            all.insert(at, (name, value.into()));
            self.0 = all.into_boxed_slice();
        }
    }

    /// Sets the value of `name`, replacing the one it has.
    pub fn insert(&mut self, name: impl Into<Arc<str>>, value: impl Into<Box<str>>) {
        let name = name.into();
        match self.position(&name) {
            Ok(at) => self.0[at].1 = value.into(),
            Err(_) => self.insert_if_absent(name, value),
        }
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| (**k).cmp(name))
    }
}

impl<K: Into<Arc<str>>, V: Into<Box<str>>> FromIterator<(K, V)> for Attributes {
    /// Values by name; of several values of one name, the first is kept.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Attributes {
        let mut all: Vec<(Arc<str>, Box<str>)> = iter
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        // Stable, so the first of equal names stays first.
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all.dedup_by(|later, first| later.0 == first.0);
        Attributes(all.into_boxed_slice())
    }
}
