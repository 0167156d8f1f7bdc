//! The report's plots, drawn with plotters. Each plot is a [`Chart`] drawn
//! twice, on the SVG backend (inlined in `report.html`, and saved as
//! `.svg`) and on the bitmap backend (saved as `.png`), so both files show
//! the same picture.
//!
//! Bitmap text needs a font: DejaVu Sans (`assets/fonts/`, Bitstream Vera
//! licence) is compiled into the binary and registered with plotters'
//! `ab_glyph` backend, so no system font (nor fontconfig) is needed. SVG
//! text names the generic `sans-serif` family and is rendered by the viewer.
//!
//! Each plot module turns [`Results`](super::read::Results) into charts and
//! notes about what it could not draw; none reads files or knows HTML.

pub mod bars;
mod catalogue;
pub mod cdf;
pub mod day;
mod day_scale;
mod day_series;
pub mod forest;
pub mod heatmap;
pub(crate) mod labels;
pub mod pareto;
pub mod staffing;
mod style;
pub mod sweep;

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::Error;
pub use catalogue::{all, focus, is_baseline};
pub use labels::{axis_unit, group_label, short_axis, unit};
pub use style::*;
pub use sweep::Target;

/// The font every plot uses, compiled in.
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family name the font is registered under (and that SVG text names).
pub const FAMILY: &str = "sans-serif";

/// Registers the font with plotters once; an error if the bytes are not a
/// font (which would be a build problem).
fn font() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FAMILY, FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "the compiled-in font is not a valid TrueType font".to_string())
        })
        .clone()
}

/// What a chart's drawing returns: plotters' errors, boxed.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A plot that can be drawn on any plotters backend.
pub trait Chart {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);

    /// Draws the whole plot on `root` (already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// Where in the report a plot goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Section {
    /// The plots of the results as a whole.
    #[default]
    Plots,
    /// "Over the day": metrics per slot of the day.
    Day,
}

/// One drawn plot.
#[derive(Clone, Debug)]
pub struct Figure {
    /// File name without extension (`plot-wait-cdf`).
    pub file: String,
    /// The report section it belongs in.
    pub section: Section,
    /// Heading in the report.
    pub title: String,
    /// What it shows and how to read it (plain text).
    pub caption: String,
    /// The SVG document.
    pub svg: String,
    /// The PNG file.
    pub png: Vec<u8>,
    /// Width and height in pixels.
    pub size: (u32, u32),
}

/// Every plot of a report, and notes on the plots left out and why.
#[derive(Clone, Debug, Default)]
pub struct Plots {
    /// Drawn plots, in report order.
    pub figures: Vec<Figure>,
    /// Why some plots are not there (plain text).
    pub notes: Vec<String>,
}

/// Draws `chart` as SVG and PNG.
pub fn render(
    file: &str,
    title: &str,
    caption: String,
    chart: &impl Chart,
) -> Result<Figure, Error> {
    let failed = |e: String| Error::Results {
        path: format!("{file}.svg").into(),
        message: format!("cannot draw this plot: {e}"),
    };
    font().map_err(failed)?;
    let (w, h) = chart.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        draw_on(&root, chart).map_err(|e| failed(e.to_string()))?;
    }
    let mut rgb = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw_on(&root, chart).map_err(|e| failed(e.to_string()))?;
    }
    let png = encode_png(&rgb, w, h).map_err(|e| failed(e.to_string()))?;
    Ok(Figure {
        file: file.to_string(),
        section: Section::Plots,
        title: title.to_string(),
        caption,
        svg,
        png,
        size: (w, h),
    })
}

fn draw_on<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &impl Chart) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    chart.draw(root)?;
    root.present()?;
    Ok(())
}

/// An RGB buffer as a PNG file.
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()?;
    }
    Ok(out)
}

/// Text width and height in pixels at `size` (an estimate from the font's
/// advances; 0 if the font is missing).
pub fn text_size(text: &str, size: f64) -> (u32, u32) {
    if font().is_err() {
        return (0, 0);
    }
    (FAMILY, size).into_font().box_size(text).unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_and_units() {
        assert_eq!(tick(0.5), "0.5");
        assert_eq!(tick(2.0), "2");
        assert_eq!(tick(-0.0001), "0");
        assert_eq!(unit("wait_p90"), "minutes");
        assert_eq!(unit("queue_len_mean"), "clients");
        assert_eq!(unit("service_level"), "share");
        assert_eq!(unit("arrived"), "count");
        assert_eq!(unit("servers_mean"), "servers");
        assert_eq!(unit("overtime_minutes"), "minutes");
        assert_eq!(unit("handoffs_mean"), "per client");
        assert_eq!(unit("turnaround_mean_hours"), "hours");
        assert_eq!(unit("own_rm_share"), "share");
        assert_eq!(unit("csat"), "share");
        assert_eq!(unit("deflection_rate"), "share");
        assert_eq!(axis_unit("tier.junior.servers"), "count");
        assert_eq!(axis_unit("segment.vip.rate_per_hour"), "clients per hour");
        assert_eq!(short_axis("tier.junior.servers"), "junior.servers");
        assert_eq!(group_label("segment.vip"), "vip");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }

    #[test]
    fn the_font_is_registered_and_measures_text() {
        let (w, h) = text_size("service level", 15.0);
        assert!(w > 50 && h > 5, "{w}x{h}");
    }
}
