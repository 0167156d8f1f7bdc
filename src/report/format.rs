//! How values appear in the output files, shared by every document type:
//! JSON has no NaN, so an undefined number is `null` (and `null` reads back
//! as NaN); groups and metrics are JSON objects whose key order is part of
//! the format, kept by [`Ordered`].

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// `#[serde(with = "nullable")]` for an `f64`: NaN and infinities are
/// written as `null`, `null` reads back as NaN.
pub mod nullable {
    use super::*;

    /// Writes `x`, or `null` when it is not finite.
    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_finite() {
            s.serialize_f64(*x)
        } else {
            s.serialize_none()
        }
    }

    /// Reads a number, or NaN for `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<Number>::deserialize(d)?.map_or(f64::NAN, |n| n.0))
    }
}

/// `#[serde(with = "nullables")]` for a `Vec<f64>`: each value as in
/// [`nullable`].
pub mod nullables {
    use super::*;

    /// Writes each value, `null` where it is not finite.
    pub fn serialize<S: Serializer>(xs: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(xs.iter().map(|&x| Nullable(x)))
    }

    /// Reads numbers, NaN for each `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<Option<Number>>::deserialize(d)?
            .into_iter()
            .map(|n| n.map_or(f64::NAN, |n| n.0))
            .collect())
    }
}

/// A number that is `null` when undefined, as a value of its own.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Nullable(#[serde(with = "nullable")] pub f64);

/// A JSON number, whose error names it "a number" (as users say).
#[derive(Clone, Copy, Debug)]
struct Number(f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E>(self, x: f64) -> Result<Number, E> {
                Ok(Number(x))
            }
            fn visit_u64<E>(self, x: u64) -> Result<Number, E> {
                Ok(Number(x as f64))
            }
            fn visit_i64<E>(self, x: i64) -> Result<Number, E> {
                Ok(Number(x as f64))
            }
        }
        d.deserialize_f64(V)
    }
}

/// A JSON object whose keys keep their order: named groups or metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<V> Ordered<V> {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Entries in order, as a slice.
    pub fn as_slice(&self) -> &[(String, V)] {
        &self.0
    }

    /// Entries in order.
    pub fn iter(&self) -> std::slice::Iter<'_, (String, V)> {
        self.0.iter()
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V> FromIterator<(String, V)> for Ordered<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        Ordered(iter.into_iter().collect())
    }
}

impl<'a, V> IntoIterator for &'a Ordered<V> {
    type Item = &'a (String, V);
    type IntoIter = std::slice::Iter<'a, (String, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

/// A mean over replications with the half-width of its 95% confidence
/// interval, `{"mean": x, "ci95": h}`; NaN (`null`) where undefined.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanCi {
    /// Mean over replications.
    #[serde(with = "nullable")]
    pub mean: f64,
    /// Half-width of the 95% confidence interval.
    #[serde(with = "nullable")]
    pub ci95: f64,
}

impl From<crate::engine::stats::Estimate> for MeanCi {
    fn from(e: crate::engine::stats::Estimate) -> Self {
        MeanCi {
            mean: e.mean,
            ci95: e.ci95,
        }
    }
}

/// Named metrics in their fixed order.
pub type Metrics = Ordered<MeanCi>;

impl Metrics {
    /// Metric `name`, by value.
    pub fn metric(&self, name: &str) -> Option<MeanCi> {
        self.get(name).copied()
    }
}

/// Appends formatted text to `out`: `put(out, format_args!(..))` in place
/// of `write!`, whose result a `String` never fails but must not be ignored.
pub fn put(out: &mut String, args: std::fmt::Arguments) {
    out.push_str(&std::fmt::format(args));
}

/// [`put`], then a newline.
pub fn putln(out: &mut String, args: std::fmt::Arguments) {
    put(out, args);
    out.push('\n');
}

/// A whole number written in decimal (`1234567`, `-1234`), with its digits
/// grouped by threes with commas (`1,234,567`, `-1,234`): the one place the
/// readable counts of `fit` and the costs of `plan` are grouped.
pub fn thousands(number: &str) -> String {
    let (sign, digits) = match number.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", number),
    };
    let mut out = String::from(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_numbers_are_null_and_read_back_as_nan() {
        let m = MeanCi {
            mean: f64::NAN,
            ci95: 0.5,
        };
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(text, r#"{"mean":null,"ci95":0.5}"#);
        let back: MeanCi = serde_json::from_str(&text).unwrap();
        assert!(back.mean.is_nan() && back.ci95 == 0.5);
        let ordered: Ordered<u32> = serde_json::from_str(r#"{"b":1,"a":2}"#).unwrap();
        assert_eq!(ordered.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(serde_json::to_string(&ordered).unwrap(), r#"{"b":1,"a":2}"#);
        let e = serde_json::from_str::<MeanCi>(r#"{"mean":"x","ci95":1}"#).unwrap_err();
        assert!(e.to_string().contains("expected a number"), "{e}");
    }

    #[test]
    fn thousands_groups_digits_by_threes_after_the_sign() {
        assert_eq!(thousands("0"), "0");
        assert_eq!(thousands("999"), "999");
        assert_eq!(thousands("1000"), "1,000");
        assert_eq!(thousands("1234567"), "1,234,567");
        assert_eq!(thousands("-1234567"), "-1,234,567");
        assert_eq!(thousands("-999"), "-999");
        assert_eq!(thousands("-1000"), "-1,000");
    }
}
