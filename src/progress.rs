//! Progress monitoring: a student's probes → the quantities the published
//! decision rules use.
//!
//! One student's probes (date, score), their goal and goal date give: the
//! baseline (median of the scores on the earliest date), the aimline from
//! (earliest date, baseline) to (goal date, goal), the rate of improvement
//! (ordinary least-squares slope of score against weeks), the goal's rate,
//! the runs of most recent probes above or below the aimline, the median of
//! the last three, and the Tukey trend slope. Sources and numbers:
//! shared/research/domain-anchors.md section 3. This module is arithmetic
//! only; `ingest::probes` reads the file and the rules decide.

use crate::condition::eval::Env;
use crate::date::{Day, format_day, parse_date};
use crate::rules::{Cadence, Plan, Rules};

/// One probe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Probe {
    pub day: Day,
    pub score: f64,
}

/// What the rules can read about one student's progress.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Progress {
    /// Probes after the baseline date.
    pub points: usize,
    /// Days from the first probe to the last, divided by 7.
    pub weeks: f64,
    pub first: Day,
    pub last: Day,
    /// The median of the scores on the earliest date.
    pub baseline: f64,
    /// Ordinary least-squares slope of score against weeks (per week);
    /// `None` with probes on one date only.
    pub slope: Option<f64>,
    /// Tukey's trend: the slope through the medians of the first and last
    /// thirds; `None` with fewer than 3 probes.
    pub tukey_slope: Option<f64>,
    pub latest: f64,
    /// The median of the three most recent probes.
    pub median_last3: f64,
    /// With a goal: (goal - baseline) per week up to the goal date.
    pub goal_roi: Option<f64>,
    /// With a goal: how many of the most recent probes are strictly above,
    /// and strictly below, the aimline (a probe on the line ends a run, and
    /// a date counts whole: every probe on it, or none).
    pub run_above: Option<usize>,
    pub run_below: Option<usize>,
    /// The aimline's value at each of the most recent probes (for display).
    pub aimline_recent: Vec<f64>,
}

/// The goal a student works toward.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Goal {
    pub score: f64,
    pub day: Day,
}

/// Probes shown in a plan's sparkline.
pub(crate) const RECENT: usize = 8;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        f64::midpoint(values[n / 2 - 1], values[n / 2])
    }
}

/// Least-squares slope of `ys` against `xs`; `None` when every x is equal.
pub(crate) fn ols_slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Tukey's trend slope (Hutton, Dubes & Muir 1992): split the points, in
/// time order, into thirds (the outer thirds take `round(n / 3)` points each),
/// and draw the line through the (median week, median score) of the first
/// and the last third.
pub(crate) fn tukey_slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len();
    if n < 3 {
        return None;
    }
    let outer = ((n as f64) / 3.0).round() as usize;
    let outer = outer.clamp(1, n / 2);
    let third = |slice: &[(f64, f64)]| {
        let mut xs: Vec<f64> = slice.iter().map(|p| p.0).collect();
        let mut ys: Vec<f64> = slice.iter().map(|p| p.1).collect();
        (median(&mut xs), median(&mut ys))
    };
    let (x1, y1) = third(&points[..outer]);
    let (x3, y3) = third(&points[n - outer..]);
    (x3 > x1).then(|| (y3 - y1) / (x3 - x1))
}

impl Progress {
    /// The quantities for `probes`, sorted here by date (probes on one date
    /// keep their order). `None` without probes.
    pub(crate) fn of(probes: &[Probe], goal: Option<Goal>) -> Option<Progress> {
        let mut probes = probes.to_vec();
        probes.sort_by_key(|p| p.day);
        let first = probes.first()?.day;
        let last = probes.last()?.day;
        let weeks_at = |day: Day| (day - first) as f64 / 7.0;
        let mut on_first: Vec<f64> = probes
            .iter()
            .filter(|p| p.day == first)
            .map(|p| p.score)
            .collect();
        let baseline = median(&mut on_first);
        let points: Vec<(f64, f64)> = probes.iter().map(|p| (weeks_at(p.day), p.score)).collect();
        let mut last3: Vec<f64> = probes.iter().rev().take(3).map(|p| p.score).collect();
        let mut progress = Progress {
            points: probes.iter().filter(|p| p.day > first).count(),
            weeks: weeks_at(last),
            first,
            last,
            baseline,
            slope: ols_slope(&points),
            tukey_slope: tukey_slope(&points),
            latest: probes.last()?.score,
            median_last3: median(&mut last3),
            ..Progress::default()
        };
        if let Some(goal) = goal {
            let span = weeks_at(goal.day);
            let aim = |day: Day| {
                if span > 0.0 {
                    baseline + (goal.score - baseline) * weeks_at(day) / span
                } else {
                    goal.score
                }
            };
            progress.goal_roi = (span > 0.0).then(|| (goal.score - baseline) / span);
            // A date's probes count together: a run takes in every probe of
            // a date or none, so it does not depend on the order of the
            // probes given on one date.
            let run = |above: bool| {
                let holds = |p: &Probe| {
                    let line = aim(p.day);
                    if above {
                        p.score > line
                    } else {
                        p.score < line
                    }
                };
                let mut count = 0;
                let mut rest = &probes[..];
                while let Some(last) = rest.last() {
                    let start = rest
                        .iter()
                        .rposition(|p| p.day != last.day)
                        .map_or(0, |i| i + 1);
                    if !rest[start..].iter().all(holds) {
                        break;
                    }
                    count += rest.len() - start;
                    rest = &rest[..start];
                }
                count
            };
            progress.run_above = Some(run(true));
            progress.run_below = Some(run(false));
            let start = probes.len().saturating_sub(RECENT);
            progress.aimline_recent = probes[start..].iter().map(|p| aim(p.day)).collect();
        }
        Some(progress)
    }
}

/// The probes of a `probes` cell (`2026-09-08:40 2026-09-15:42`, as the
/// pivot writes it); a pair that does not read is left out.
pub(crate) fn parse_probes(text: &str) -> Vec<Probe> {
    text.split_whitespace()
        .filter_map(|pair| {
            let (day, score) = pair.split_once(':')?;
            Some(Probe {
                day: parse_date(day)?,
                score: score.parse().ok()?,
            })
        })
        .collect()
}

/// The phases of a `phases` cell (`2026-09-08 Phonics | 2026-10-13
/// Phonics, intensified`): each one's first day and name.
pub(crate) fn parse_phases(text: &str) -> Vec<(Day, String)> {
    text.split(" | ")
        .filter_map(|entry| {
            let (day, name) = entry.trim().split_once(' ')?;
            Some((parse_date(day)?, name.trim().to_owned()))
        })
        .collect()
}

/// Each slope's percentile among `slopes`: the share of the others that are
/// lower, counting ties as half (a mid-rank percentile, 0 to 100). Slopes
/// are compared as shown, to 4 decimals, so two students whose slopes print
/// the same are tied however their sums were rounded.
pub(crate) fn percentiles(slopes: &[Option<f64>]) -> Vec<Option<f64>> {
    let shown = |s: f64| crate::condition::format_number(s).parse().unwrap_or(s);
    let mut known: Vec<f64> = slopes.iter().flatten().map(|&s| shown(s)).collect();
    // Sorted, each slope's rank is two binary searches, not a pass over
    // every peer (a district's measure can have 100,000 students).
    known.sort_by(f64::total_cmp);
    slopes
        .iter()
        .map(|s| {
            let s = shown((*s)?);
            if known.len() < 2 {
                return None;
            }
            let below = known.partition_point(|&o| o < s);
            let equal = known.partition_point(|&o| o <= s) - below - 1;
            Some(100.0 * (below as f64 + equal as f64 / 2.0) / (known.len() - 1) as f64)
        })
        .collect()
}

/// The next probe date: the last probe plus the cadence of the student's
/// tier (the rules' `monitoring`), or else of their plan.
pub(crate) fn next_probe(rules: &Rules, env: &Env<'_>, plan: &Plan) -> Option<String> {
    let last = rules.field_text(env, "last_probe")?;
    let last = parse_date(&String::from_utf8_lossy(last))?;
    Some(format_day(
        last + i64::from(cadence(rules, env, plan)?.days),
    ))
}

/// How often a student is probed: their tier's cadence (the `tier` field,
/// `Tier 2` or `2`, against the rules' `monitoring`), else their plan's.
pub(crate) fn cadence(rules: &Rules, env: &Env<'_>, plan: &Plan) -> Option<Cadence> {
    let tier = current_tier(rules, env);
    tier.and_then(|t| {
        rules
            .monitoring
            .get(usize::from(t).checked_sub(1)?)
            .cloned()
            .flatten()
    })
    .or_else(|| plan.monitor.clone())
}

/// The student's tier before this plan, from the rules' `tier` field
/// (`Tier 2`, `2`), when the data has it.
pub(crate) fn current_tier(rules: &Rules, env: &Env<'_>) -> Option<u8> {
    let text = rules.field_text(env, "tier")?;
    String::from_utf8_lossy(text)
        .trim()
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()
}

/// Values shown beside a sparkline: the four-point rule's window.
pub(crate) const SHOWN: usize = 4;

/// `▁▂▄▃▆█ 45 44 48 50`: the recent probes as a sparkline, and the last
/// [`SHOWN`] values.
pub(crate) fn recent(text: &str) -> String {
    let scores: Vec<f64> = text
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    if scores.is_empty() {
        return String::new();
    }
    format!("{} {}", sparkline(&scores), last_values(text))
}

/// The last [`SHOWN`] values of a space-separated list, one decimal at most.
pub(crate) fn last_values(text: &str) -> String {
    let values: Vec<f64> = text
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    let start = values.len().saturating_sub(SHOWN);
    let shown: Vec<String> = values[start..]
        .iter()
        .map(|v| crate::condition::format_number((v * 10.0).round() / 10.0))
        .collect();
    shown.join(" ")
}
/// `▁▂▄▃▆█`: the scores drawn as a sparkline, low to high.
pub(crate) fn sparkline(scores: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (lo, hi) = scores
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &s| {
            (lo.min(s), hi.max(s))
        });
    scores
        .iter()
        .map(|&s| {
            if hi > lo {
                BARS[(((s - lo) / (hi - lo)) * 7.0).round() as usize]
            } else {
                BARS[3]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekly(scores: &[f64]) -> Vec<Probe> {
        scores
            .iter()
            .enumerate()
            .map(|(w, &score)| Probe {
                day: 7 * w as Day,
                score,
            })
            .collect()
    }

    #[test]
    fn the_worked_example_from_the_research() {
        // Weekly 40, 42, 45, 44, 48, 50: OLS 33.5 / 17.5 = 1.914..., Tukey 2.0.
        let p = Progress::of(&weekly(&[40.0, 42.0, 45.0, 44.0, 48.0, 50.0]), None).unwrap();
        assert!((p.slope.unwrap() - 1.914_285_714).abs() < 1e-6);
        assert_eq!(p.tukey_slope, Some(2.0));
        assert_eq!(
            (p.points, p.weeks, p.baseline, p.latest),
            (5, 5.0, 40.0, 50.0)
        );
        assert_eq!(p.median_last3, 48.0);
    }

    #[test]
    fn four_points_below_the_aimline() {
        // Baseline 40, goal 60 at week 10: the aimline rises 2 a week. Weeks
        // 3-6 at 45, 46, 47, 49 against 46, 48, 50, 52: four below.
        let mut probes = weekly(&[40.0]);
        for (week, score) in [(3, 45.0), (4, 46.0), (5, 47.0), (6, 49.0)] {
            probes.push(Probe {
                day: 7 * week,
                score,
            });
        }
        let p = Progress::of(
            &probes,
            Some(Goal {
                score: 60.0,
                day: 70,
            }),
        )
        .unwrap();
        assert_eq!(p.goal_roi, Some(2.0));
        assert_eq!((p.run_below, p.run_above), (Some(4), Some(0)));
    }

    #[test]
    fn a_point_on_the_aimline_ends_a_run() {
        // Aimline 40 → 50 over 10 weeks: 1 a week. Week 4 is exactly on it.
        let probes = weekly(&[40.0, 45.0, 46.0, 47.0, 44.0, 50.0, 51.0]);
        let p = Progress::of(
            &probes,
            Some(Goal {
                score: 50.0,
                day: 70,
            }),
        )
        .unwrap();
        assert_eq!(p.run_above, Some(2));
        let on_line = weekly(&[40.0, 45.0, 46.0, 47.0, 44.0, 45.0]);
        let p = Progress::of(
            &on_line,
            Some(Goal {
                score: 50.0,
                day: 70,
            }),
        )
        .unwrap();
        assert_eq!((p.run_above, p.run_below), (Some(0), Some(0)));
    }

    #[test]
    fn a_run_takes_a_date_whole_whatever_the_order_on_it() {
        // Baseline 22 (20, 24, 22 on the first date), then 3 below the line.
        let goal = Some(Goal {
            score: 50.0,
            day: 70,
        });
        let mut probes: Vec<Probe> = [20.0, 24.0, 22.0]
            .map(|score| Probe { day: 0, score })
            .to_vec();
        probes.extend(weekly(&[0.0, 22.0, 23.0, 24.0]).into_iter().skip(1));
        let p = Progress::of(&probes, goal).unwrap();
        probes[..3].reverse();
        let q = Progress::of(&probes, goal).unwrap();
        assert_eq!((p.run_below, q.run_below), (Some(3), Some(3)));
    }

    #[test]
    fn unsorted_probes_and_several_on_one_date() {
        let probes = [
            Probe {
                day: 14,
                score: 50.0,
            },
            Probe {
                day: 0,
                score: 38.0,
            },
            Probe {
                day: 0,
                score: 42.0,
            },
            Probe {
                day: 0,
                score: 40.0,
            },
            Probe {
                day: 7,
                score: 45.0,
            },
        ];
        let p = Progress::of(&probes, None).unwrap();
        assert_eq!(
            (p.baseline, p.points, p.latest, p.weeks),
            (40.0, 2, 50.0, 2.0)
        );
    }

    #[test]
    fn tukey_groups_uneven_counts_symmetrically() {
        let points: Vec<(f64, f64)> = (0..7).map(|w| (f64::from(w), f64::from(2 * w))).collect();
        assert_eq!(tukey_slope(&points), Some(2.0));
        assert_eq!(tukey_slope(&points[..2]), None);
    }

    #[test]
    fn percentiles_by_search_are_those_of_counting_every_peer() {
        // Slopes with ties, equal as shown (1.00001 prints as 1), missing.
        let mut state = 7u64;
        let slopes: Vec<Option<f64>> = (0..500)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let r = (state >> 33) % 40;
                (r != 0).then(|| (r % 13) as f64 / 4.0 + if r > 20 { 0.00001 } else { 0.0 })
            })
            .collect();
        let shown = |s: f64| crate::condition::format_number(s).parse::<f64>().unwrap();
        let known: Vec<f64> = slopes.iter().flatten().map(|&s| shown(s)).collect();
        let counted: Vec<Option<f64>> = slopes
            .iter()
            .map(|s| {
                let s = shown((*s)?);
                let below = known.iter().filter(|&&o| o < s).count() as f64;
                let equal = known.iter().filter(|&&o| o == s).count() as f64 - 1.0;
                Some(100.0 * (below + equal / 2.0) / (known.len() - 1) as f64)
            })
            .collect();
        assert_eq!(percentiles(&slopes), counted);
    }

    #[test]
    fn percentiles_rank_among_peers() {
        let p = percentiles(&[Some(1.0), Some(2.0), Some(3.0), None, Some(2.0)]);
        assert_eq!(
            p,
            vec![Some(0.0), Some(50.0), Some(100.0), None, Some(50.0)]
        );
        assert_eq!(sparkline(&[1.0, 8.0]), "▁█");
    }
}
