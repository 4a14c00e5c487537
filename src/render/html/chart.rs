//! The report's bar charts, drawn as inline SVG: the tiers beside the
//! guideline, and the share of a section below mastery on each skill.
//!
//! Every number a chart shows is written on it as text, so it reads in black
//! and white and the table beside it says the same; the charts are
//! `role="img"` with a title for screen readers.

use maud::{Markup, html};

use super::px;
use crate::render::percent;

/// The width of a chart, in SVG units (the page scales it).
const WIDTH: f64 = 520.0;
/// The left margin, where the bars' labels go.
const LABEL: f64 = 130.0;
/// The right margin, where the values go past a full bar.
const VALUE: f64 = 150.0;
const ROW: f64 = 26.0;
const BAR: f64 = 16.0;

/// One bar: its label, its share (0 to 1), the text written after it, a
/// CSS class (its colour) and an optional mark (a guideline) at a share.
pub(super) struct Bar<'a> {
    pub label: &'a str,
    pub share: f64,
    pub value: String,
    pub class: &'static str,
    pub mark: Option<(f64, String)>,
}

/// A horizontal bar chart titled `title`, `id` naming its title element.
pub(super) fn bars(id: &str, title: &str, bars: &[Bar<'_>]) -> Markup {
    let span = WIDTH - LABEL - VALUE;
    let top = 8.0;
    let height = top + ROW * bars.len() as f64 + 18.0;
    let title_id = format!("{id}-title");
    html! {
        svg.chart role="img" aria-labelledby=(title_id) viewBox={"0 0 " (px(WIDTH)) " " (px(height))}
            width=(px(WIDTH)) height=(px(height)) {
            title id=(title_id) { (title) }
            // The axis: 0, 50% and 100%.
            @for tick in [0.0, 0.5, 1.0] {
                line.grid x1=(px(LABEL + span * tick)) x2=(px(LABEL + span * tick))
                    y1=(px(top - 4.0)) y2=(px(height - 16.0)) {}
                text.tick x=(px(LABEL + span * tick)) y=(px(height - 4.0)) text-anchor="middle" {
                    (percent(tick))
                }
            }
            @for (i, bar) in bars.iter().enumerate() {
                @let y = top + ROW * i as f64;
                @let share = bar.share.clamp(0.0, 1.0);
                // The value follows the bar, or the mark when it is further.
                @let end = bar.mark.as_ref().map_or(share, |(at, _)| share.max(at.clamp(0.0, 1.0)));
                text.label x=(px(LABEL - 8.0)) y=(px(y + BAR - 4.0)) text-anchor="end" {
                    (clip(bar.label))
                }
                rect class=(bar.class) x=(px(LABEL)) y=(px(y)) width=(px(span * share))
                    height=(px(BAR)) {}
                text.value x=(px(LABEL + span * end + 6.0)) y=(px(y + BAR - 4.0)) {
                    (bar.value)
                }
                @if let Some((at, text)) = &bar.mark {
                    @let x = LABEL + span * at.clamp(0.0, 1.0);
                    line.mark x1=(px(x)) x2=(px(x)) y1=(px(y - 3.0)) y2=(px(y + BAR + 3.0)) {
                        title { (text) }
                    }
                }
            }
        }
    }
}

/// A label short enough for the chart's margin (the table beside the
/// chart has it whole).
fn clip(label: &str) -> String {
    const MAX: usize = 18;
    if label.chars().count() <= MAX {
        label.to_owned()
    } else {
        let mut short: String = label.chars().take(MAX - 1).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_as_long_as_its_share_and_its_text_is_escaped() {
        let chart = bars(
            "c1",
            "Tiers <b>",
            &[
                Bar {
                    label: "<img src=x onerror=alert(1)>",
                    share: 0.5,
                    value: "13 · 50%".to_owned(),
                    class: "t1",
                    mark: Some((0.8, "about 80%".to_owned())),
                },
                Bar {
                    label: "Tier 3",
                    share: 1.5,
                    value: "x".to_owned(),
                    class: "t3",
                    mark: None,
                },
            ],
        )
        .into_string();
        assert!(chart.contains("<title id=\"c1-title\">Tiers &lt;b&gt;</title>"));
        assert!(chart.contains(">&lt;img src=x onerro…</text>"), "{chart}");
        assert!(!chart.contains("<img"));
        // Half of the bars' span (520 - 130 - 150 = 240), and a share
        // past 1 drawn full.
        assert!(chart.contains("class=\"t1\" x=\"130\" y=\"8\" width=\"120\""));
        assert!(chart.contains("class=\"t3\" x=\"130\" y=\"34\" width=\"240\""));
        assert!(chart.contains("<line class=\"mark\" x1=\"322\""));
        // The value is written past the mark, not over it.
        assert!(chart.contains("<text class=\"value\" x=\"328\" y=\"20\">13 · 50%</text>"));
    }
}
