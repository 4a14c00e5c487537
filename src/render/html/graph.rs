//! A progress-monitoring graph, as inline SVG: the probes as points, the
//! baseline, the aimline from the baseline to the goal, the trend line (the
//! least-squares slope the decision read), a phase line wherever the
//! intervention changed, and a ring around the probes of the run that
//! decided (the four-point rule's points).

use maud::{Markup, html};

use super::px;
use crate::date::{Day, format_day};
use crate::progress::{Goal, Probe};

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 34.0;

/// What one student's graph shows.
pub(super) struct Graph<'a> {
    /// The student's name, for the graph's title.
    pub name: &'a str,
    /// Oldest first.
    pub probes: Vec<Probe>,
    /// Each phase's first day and name, oldest first.
    pub phases: Vec<(Day, String)>,
    pub baseline: Option<f64>,
    pub goal: Option<Goal>,
    /// Least-squares slope, per week.
    pub slope: Option<f64>,
    /// The most recent probes to ring: the run of probes below (or above)
    /// the aimline that decided.
    pub ringed: usize,
}

/// The scales from days and scores to the drawing.
struct Scale {
    first: Day,
    days: f64,
    top: f64,
}

impl Scale {
    fn x(&self, day: Day) -> f64 {
        LEFT + (WIDTH - LEFT - RIGHT) * (day - self.first) as f64 / self.days
    }
    fn y(&self, score: f64) -> f64 {
        HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * score / self.top
    }
}

/// A round step for `span / 5` ticks: 1, 2 or 5 times a power of ten.
fn step(span: f64) -> f64 {
    let rough = (span / 5.0).max(f64::MIN_POSITIVE);
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
}

/// `2026-09-08` → `Sep 8`.
pub(super) fn short_date(day: Day) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let iso = format_day(day);
    let month: usize = iso[5..7].parse().unwrap_or(1);
    let date: u32 = iso[8..10].parse().unwrap_or(1);
    format!("{} {date}", MONTHS[month.clamp(1, 12) - 1])
}

impl Graph<'_> {
    /// The graph, `id` naming its title element; `None` without probes.
    pub(super) fn draw(&self, id: &str) -> Option<Markup> {
        let first = self.probes.first()?.day;
        let last = self.probes.last()?.day;
        let end = self.goal.map_or(last, |g| g.day.max(last));
        let highest = self
            .probes
            .iter()
            .map(|p| p.score)
            .chain(self.goal.map(|g| g.score))
            .chain(self.baseline)
            .fold(0.0, f64::max);
        let tick = step(highest.max(1.0));
        let top = (highest / tick).floor() * tick + tick;
        let scale = Scale {
            first,
            days: ((end - first) as f64).max(7.0),
            top,
        };
        let ticks = (top / tick).round() as usize;
        let dates: Vec<Day> = (0..=4)
            .map(|k| first + ((scale.days * f64::from(k) / 4.0).round() as Day))
            .collect();
        let points: Vec<String> = self
            .probes
            .iter()
            .map(|p| format!("{},{}", px(scale.x(p.day)), px(scale.y(p.score))))
            .collect();
        let title_id = format!("{id}-title");
        let ringed = &self.probes[self.probes.len() - self.ringed.min(self.probes.len())..];
        Some(html! {
            svg.graph role="img" aria-labelledby=(title_id)
                viewBox={"0 0 " (px(WIDTH)) " " (px(HEIGHT))} width=(px(WIDTH)) height=(px(HEIGHT)) {
                title id=(title_id) { "Progress of " (self.name) }
                @for k in 0..=ticks {
                    @let y = scale.y(tick * k as f64);
                    line.grid x1=(px(LEFT)) x2=(px(WIDTH - RIGHT)) y1=(px(y)) y2=(px(y)) {}
                    text.tick x=(px(LEFT - 6.0)) y=(px(y + 4.0)) text-anchor="end" {
                        (crate::condition::format_number(tick * k as f64))
                    }
                }
                @for (k, day) in dates.iter().enumerate() {
                    // The first and last dates stay inside the drawing.
                    @let anchor = match k { 0 => "start", 4 => "end", _ => "middle" };
                    text.tick x=(px(scale.x(*day))) y=(px(HEIGHT - BOTTOM + 16.0)) text-anchor=(anchor) {
                        (short_date(*day))
                    }
                }
                @for (i, (day, name)) in self.phases.iter().enumerate() {
                    @let x = scale.x(*day);
                    @if i > 0 {
                        line.phase x1=(px(x)) x2=(px(x)) y1=(px(TOP - 14.0)) y2=(px(HEIGHT - BOTTOM)) {}
                    }
                    text.phase x=(px(x + 4.0)) y=(px(TOP - 6.0)) { (name) }
                }
                @if let (Some(baseline), Some(goal)) = (self.baseline, self.goal) {
                    line.aim x1=(px(scale.x(first))) y1=(px(scale.y(baseline)))
                        x2=(px(scale.x(goal.day))) y2=(px(scale.y(goal.score))) {}
                    path.goal d=(diamond(scale.x(goal.day), scale.y(goal.score))) {}
                    text.note x=(px(scale.x(goal.day) - 8.0)) y=(px(scale.y(goal.score) - 8.0))
                        text-anchor="end" { "goal " (crate::condition::format_number(goal.score)) }
                }
                @if let Some(line) = self.trend(&scale) {
                    (line)
                }
                polyline.path points=(points.join(" ")) {}
                @for p in &self.probes {
                    circle.probe cx=(px(scale.x(p.day))) cy=(px(scale.y(p.score))) r="3.5" {}
                }
                @for p in ringed {
                    circle.ring cx=(px(scale.x(p.day))) cy=(px(scale.y(p.score))) r="7" {}
                }
                @if let Some(baseline) = self.baseline {
                    rect.baseline x=(px(scale.x(first) - 4.5)) y=(px(scale.y(baseline) - 4.5))
                        width="9" height="9" {}
                }
            }
        })
    }

    /// The least-squares line through the probes, from the first probe to
    /// the last: it has the decision's slope and passes through the mean
    /// of the probes, as every least-squares line does.
    fn trend(&self, scale: &Scale) -> Option<Markup> {
        let slope = self.slope?;
        let (first, last) = (self.probes.first()?.day, self.probes.last()?.day);
        if first == last {
            return None;
        }
        let weeks = |day: Day| (day - first) as f64 / 7.0;
        let n = self.probes.len() as f64;
        let mean_x = self.probes.iter().map(|p| weeks(p.day)).sum::<f64>() / n;
        let mean_y = self.probes.iter().map(|p| p.score).sum::<f64>() / n;
        let at = |day: Day| mean_y + slope * (weeks(day) - mean_x);
        Some(html! {
            line.trend x1=(px(scale.x(first))) y1=(px(scale.y(at(first))))
                x2=(px(scale.x(last))) y2=(px(scale.y(at(last)))) {}
        })
    }
}

/// A diamond around (`x`, `y`): the goal's mark.
fn diamond(x: f64, y: f64) -> String {
    let r = 6.0;
    format!(
        "M{} {}L{} {}L{} {}L{} {}Z",
        px(x),
        px(y - r),
        px(x + r),
        px(y),
        px(x),
        px(y + r),
        px(x - r),
        px(y)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    fn weekly(scores: &[f64]) -> Vec<Probe> {
        let first = parse_date("2026-09-07").unwrap();
        scores
            .iter()
            .enumerate()
            .map(|(i, &score)| Probe {
                day: first + 7 * i as Day,
                score,
            })
            .collect()
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(step(70.0), 20.0);
        assert_eq!(step(100.0), 20.0);
        assert_eq!(step(9.0), 2.0);
        assert_eq!(step(1.0), 0.2);
        assert_eq!(short_date(parse_date("2026-09-08").unwrap()), "Sep 8");
    }

    #[test]
    fn the_graph_has_every_probe_the_aimline_the_trend_and_the_rings() {
        let graph = Graph {
            name: "<script>alert(1)</script>",
            probes: weekly(&[30.0, 31.0, 31.0, 32.0, 32.0]),
            phases: vec![
                (parse_date("2026-09-07").unwrap(), "Phonics".to_owned()),
                (
                    parse_date("2026-09-21").unwrap(),
                    "Phonics <b>+</b>".to_owned(),
                ),
            ],
            baseline: Some(30.0),
            goal: Some(Goal {
                score: 60.0,
                day: parse_date("2027-01-25").unwrap(),
            }),
            slope: Some(0.5),
            ringed: 4,
        };
        let svg = graph.draw("g1").unwrap().into_string();
        assert_eq!(svg.matches("<circle class=\"probe\"").count(), 5);
        assert_eq!(svg.matches("<circle class=\"ring\"").count(), 4);
        assert_eq!(svg.matches("<line class=\"phase\"").count(), 1);
        assert!(svg.contains("Phonics &lt;b&gt;+&lt;/b&gt;"));
        assert!(svg.contains("Progress of &lt;script&gt;"));
        assert!(!svg.contains("<script"));
        assert!(svg.contains("<line class=\"aim\""));
        assert!(svg.contains("<line class=\"trend\""));
        assert!(svg.contains(">goal 60</text>"));
        // The scale runs from 0 to 80 in steps of 20: the goal, 60, is the
        // highest score.
        assert!(svg.contains(">80</text>"), "{svg}");
        let no_probes = Graph {
            probes: Vec::new(),
            ..graph
        };
        assert!(no_probes.draw("g2").is_none());
    }
}
