//! Phase 13, synchronous: what civilians saw and heard today moves their
//! hardship, trust in the mission and sympathy for the factions; then
//! neighbours pull each other's trust and sympathy together (social
//! contagion); then the order's legitimacy relaxes towards the level the
//! political levers support.
//!
//! Witnessing is a box sum of today's events within the witness radius;
//! rumours carry the sector's total at `rumour_weight`. Updates use the
//! saturating form x + (1 − x)·min(1, U) − x·min(1, D), which stays in
//! [0, 1] without clamping.

use super::field::{Layer, table_box_read};
use super::state::{MissionState, OnGrid, Rules, Status, WitnessResponse, Witnesses, flag};

/// Today's sector totals heard as rumour.
#[derive(Debug, Clone, Default)]
struct Rumours {
    attributed: f64,
    backlash: f64,
    protection: f64,
    faction: Vec<f64>,
    /// `faction`'s sum, taken once for the sector's civilians.
    faction_total: f64,
}

/// Phase 13: runs the update for day `t`.
pub fn update_perceptions(s: &mut MissionState, t: u32) {
    let r = s.rules.derived.witness_cells;
    {
        let l = &mut s.layers;
        let [attributed, backlash, protection, total] = &mut l.scratch;
        l.harm_attributed.box_sum(r, &mut l.table, attributed);
        l.harm_backlash.box_sum(r, &mut l.table, backlash);
        l.protection.box_sum(r, &mut l.table, protection);
        l.harm_total.box_sum(r, &mut l.table, total);
        for (raw, seen) in l.harm_faction.iter().zip(l.seen_faction.iter_mut()) {
            raw.box_sum(r, &mut l.table, seen);
        }
        // Danger: witnessed deaths, smoothed over about a week.
        for (d, &x) in l.danger.values_mut().iter_mut().zip(total.values()) {
            *d = *d * (6.0 / 7.0) + x;
        }
    }
    let rumours = sector_rumours(s);
    let started = s.mission_started(t);
    let policing = policing_nearby(s);
    let w = &mut s.witnesses;
    w.trust_before.clear();
    w.trust_before.extend_from_slice(&s.civilians.trust);
    w.saw.clear();
    w.saw.resize(s.civilians.len(), Witnesses::OTHER);
    s.layers.on_grid.clear();
    for i in 0..s.civilians.len() {
        if matches!(s.civilians.status[i], Status::Dead | Status::Detained) {
            continue;
        }
        // The agent's interior cell and sector, found once for the three
        // updates, the contagion and the witnesses' response (the cell a
        // division by the padded grid's stride).
        let xy = s.map.grid.coords(s.civilians.cell[i]);
        let at = xy.1 * s.map.grid.width() + xy.0;
        if s.civilians.status[i] != Status::Recruited {
            s.layers.on_grid.push(OnGrid { agent: i, at, xy });
        }
        let k = usize::from(s.map.cell_sector[at]);
        let (saw, seen_faction) = harm_seen(&s.layers, at);
        s.witnesses.saw[i] = saw;
        update_hardship(s, i, k, started);
        update_trust(s, i, (at, k, seen_faction), &rumours, &policing, started);
        update_sympathy(s, i, (at, k), &rumours);
    }
    // The row-by-row sums' storage is kept for tomorrow.
    if let Policing::ByRow(seen) = policing {
        s.layers.policing_seen = seen;
    }
    contagion(s);
    s.today.witnessed = witness_response(s);
    update_legitimacy(&mut s.legitimacy, &s.rules);
    let l = &mut s.layers;
    for layer in [
        &mut l.harm_total,
        &mut l.harm_attributed,
        &mut l.harm_backlash,
        &mut l.protection,
        &mut l.policing,
    ] {
        layer.clear();
    }
    for layer in &mut l.harm_faction {
        layer.clear();
    }
}

/// What harm a civilian at interior cell `at` saw today (read before
/// contagion reuses the scratch layers), and the faction killings it saw,
/// all factions' added up (for `update_trust`, from the same reads).
fn harm_seen(l: &super::state::Layers, at: usize) -> (u8, f64) {
    let mut faction = false;
    let seen_faction: f64 = l
        .seen_faction
        .iter()
        .map(|x| {
            let v = x.get(at);
            faction |= v > 0.0;
            f64::from(v)
        })
        .sum();
    let attributed = l.scratch[0].get(at) > 0.0;
    let backlash = l.scratch[1].get(at) > 0.0;
    let saw = match (faction, attributed, backlash) {
        (false, false, false) => Witnesses::NONE,
        (true, false, false) => Witnesses::FACTION,
        (false, true, _) => Witnesses::MISSION,
        _ => Witnesses::OTHER,
    };
    (saw, seen_faction)
}

/// The day's trust change (update and contagion) of the witnesses of
/// faction killings and of mission harm, each against the mean change of
/// the civilians of its sector who saw no harm (people-weighted; a sector
/// with none of them adds nothing). Recruits are left out, as in
/// `trust_mean`. An observation, not a rule: nothing reads it back.
///
/// Every civilian counted (updated today, not a recruit) is in the day's
/// list of civilians on the grid (`Layers::on_grid`, in agent order, with
/// its cell), so the list is walked instead of every agent.
fn witness_response(s: &mut MissionState) -> WitnessResponse {
    // Kept scratch, taken out for the day and put back.
    let mut unharmed = std::mem::take(&mut s.witnesses.unharmed);
    let c = &s.civilians;
    let w = &s.witnesses;
    let on_grid = &s.layers.on_grid;
    let ns = s.sectors.len();
    let counted = |i: usize| c.status[i] != Status::Recruited && w.saw[i] != Witnesses::OTHER;
    let sector = |g: &OnGrid| usize::from(s.map.cell_sector[g.at]);
    let change = |i: usize| f64::from(c.trust[i]) - f64::from(w.trust_before[i]);
    // Mean change of the unharmed, per sector.
    unharmed.clear();
    unharmed.resize(ns, (0.0, 0.0));
    for g in on_grid {
        let i = g.agent;
        if !(counted(i) && w.saw[i] == Witnesses::NONE) {
            continue;
        }
        let m = f64::from(c.members[i]);
        let u = &mut unharmed[sector(g)];
        u.0 += m * change(i);
        u.1 += m;
    }
    let mut r = WitnessResponse::default();
    for g in on_grid {
        let i = g.agent;
        if !(counted(i) && w.saw[i] != Witnesses::NONE) {
            continue;
        }
        let (sum, people) = unharmed[sector(g)];
        if people <= 0.0 {
            continue;
        }
        let m = f64::from(c.members[i]);
        let excess = m * (change(i) - sum / people);
        if w.saw[i] == Witnesses::FACTION {
            r.faction_people += m;
            r.faction_response += excess;
        } else {
            r.mission_people += m;
            r.mission_response += excess;
        }
    }
    s.witnesses.unharmed = unharmed;
    r
}

/// Per-sector rumour levels: the sector's total of each kind of event
/// times the rumour weight (diluted in sectors larger than a rumour's
/// reach, [`rumour_share`]), plus the theatre's total times the news
/// weight; good communication damps rumours of mission harm and spreads
/// word of protection.
fn sector_rumours(s: &MissionState) -> Vec<Rumours> {
    let ns = s.sectors.len();
    let nf = s.factions.len();
    let mut totals = vec![
        Rumours {
            faction: vec![0.0; nf],
            ..Rumours::default()
        };
        ns
    ];
    let l = &s.layers;
    let cells = &s.map.cell_sector;
    let by_sector = |layer: &Layer| sums_by_sector(layer, cells, ns);
    let sums = by_sector(&l.harm_attributed);
    totals
        .iter_mut()
        .zip(sums)
        .for_each(|(t, v)| t.attributed = v);
    let sums = by_sector(&l.harm_backlash);
    totals
        .iter_mut()
        .zip(sums)
        .for_each(|(t, v)| t.backlash = v);
    let sums = by_sector(&l.protection);
    totals
        .iter_mut()
        .zip(sums)
        .for_each(|(t, v)| t.protection = v);
    for f in 0..nf {
        let sums = by_sector(&l.harm_faction[f]);
        totals
            .iter_mut()
            .zip(sums)
            .for_each(|(t, v)| t.faction[f] = v);
    }
    let c = &s.rules.config.civilians;
    // News: the theatre's totals, heard everywhere at the news weight.
    let mut news = Rumours {
        faction: vec![0.0; nf],
        ..Rumours::default()
    };
    for tot in &totals {
        news.attributed += tot.attributed;
        news.backlash += tot.backlash;
        news.protection += tot.protection;
        for f in 0..nf {
            news.faction[f] += tot.faction[f];
        }
    }
    let nw = c.news_weight;
    for (tot, sector) in totals.iter_mut().zip(&s.sectors) {
        let rw = c.rumour_weight * rumour_share(c.rumour_reach_people, sector.people);
        tot.attributed = rw * tot.attributed + nw * news.attributed;
        tot.backlash = rw * tot.backlash + nw * news.backlash;
        tot.protection = rw * tot.protection + nw * news.protection;
        for f in 0..nf {
            tot.faction[f] = rw * tot.faction[f] + nw * news.faction[f];
        }
    }
    let comm = s.rules.config.mandate.communication;
    let damp = 1.0 - c.communication_damping * comm;
    for tot in &mut totals {
        tot.attributed *= damp;
        tot.backlash *= damp;
        tot.protection *= comm;
        tot.faction_total = tot.faction.iter().sum::<f64>();
    }
    totals
}

/// The share of a sector's `people` that word of its events reaches: all
/// of them up to `reach` people, `reach` / `people` beyond. Exactly 1 in
/// a sector no larger than the reach, so such sectors keep their bits.
fn rumour_share(reach: f64, people: f64) -> f64 {
    if people > reach { reach / people } else { 1.0 }
}

/// Each sector's total of `layer`: cells added in cell order. Only cells
/// holding something are added: a total starts at +0.0 and so is never
/// −0.0, and adding ±0.0 to anything else leaves it as it is, so skipping
/// zeros (most cells of a day's event layers, all of most) gives the same
/// bits.
fn sums_by_sector(layer: &Layer, cell_sector: &[u16], ns: usize) -> Vec<f64> {
    let mut sums = vec![0.0; ns];
    for (i, v) in layer.nonzero() {
        sums[cell_sector[i] as usize] += f64::from(v);
    }
    sums
}

/// H = H0 + unmet aid + missing services + displacement + exclusion +
/// remembered losses − a job, clamped to [0, 1]; the loss memory decays.
fn update_hardship(s: &mut MissionState, i: usize, k: usize, started: bool) {
    let c = &s.rules.config.civilians;
    let sector = &s.sectors[k];
    let civ = &mut s.civilians;
    civ.loss[i] *= (1.0 - s.rules.derived.loss_rate) as f32;
    let on = |bit: u8| if civ.flags[i] & bit != 0 { 1.0 } else { 0.0 };
    let displaced = if civ.status[i] == Status::Displaced {
        1.0
    } else {
        0.0
    };
    let employed = if started { on(flag::EMPLOYED) } else { 0.0 };
    let h = f64::from(civ.base_hardship[i])
        + c.hardship_aid_weight * (1.0 - sector.coverage)
        + c.hardship_services_weight * (1.0 - sector.services)
        + c.hardship_displaced_weight * displaced
        + c.hardship_exclusion_weight * on(flag::EXCLUDED)
        + c.hardship_loss_weight * f64::from(civ.loss[i])
        - c.hardship_jobs_relief * employed;
    civ.hardship[i] = h.clamp(0.0, 1.0) as f32;
}

/// Saturating update of a [0, 1] attitude by a push up and a push down.
#[inline]
fn saturating(x: f64, up: f64, down: f64) -> f64 {
    (x + (1.0 - x) * up.min(1.0) - x * down.min(1.0)).clamp(0.0, 1.0)
}

/// Trust in the mission: up with the aid it escorted once it is there (the
/// mission's share of that credit; aid it neither brought nor protected
/// earns it nothing),
/// services restored, protection witnessed (only
/// `trust_protection_after_killing` of it on a day a faction killing was
/// seen too) or heard of, and community policing nearby; down with harm attributed to the mission, weighted by
/// the negativity bias, and, once the mission is there, with the factions'
/// killings it failed to prevent (`insecurity_blame`); then anchored to the
/// agent's own baseline T0 (Friedkin–Johnsen: T ← λ·T + (1 − λ)·T0, 1 − λ
/// the daily rate of the trust half-life). `seen_faction` is the faction
/// killings seen at the agent's cell `at` ([`harm_seen`]'s sum).
fn update_trust(
    s: &mut MissionState,
    i: usize,
    (at, k, seen_faction): (usize, usize, f64),
    rumours: &[Rumours],
    policing: &Policing,
    started: bool,
) {
    let c = &s.rules.config.civilians;
    let sector = &s.sectors[k];
    let l = &s.layers;
    let seen_harm = f64::from(l.scratch[0].get(at)) + rumours[k].attributed;
    // Protection seen beside a faction killing is an answer that came too
    // late for what was seen: it earns only part of its credit (fact 12).
    let credited = if seen_faction > 0.0 {
        c.trust_protection_after_killing
    } else {
        1.0
    };
    let protection = credited * f64::from(l.scratch[2].get(at)) + rumours[k].protection;
    let policing = f64::from(match policing {
        Policing::Summed => l.scratch[3].get(at),
        Policing::ByRow(seen) => seen[at],
    });
    let aid = if started {
        sector.escorted_coverage
    } else {
        0.0
    };
    let up = c.trust_aid_gain * c.aid_credit * aid
        + c.trust_services_gain * (sector.services - sector.services_before).max(0.0)
        + c.trust_protection_gain * protection
        + c.trust_policing_gain * policing;
    // Faction killings never earn the mission credit (Lyall, Blair & Imai
    // 2013); a mission that is there and does not stop them is partly
    // blamed for the insecurity.
    let insecurity = if started {
        c.insecurity_blame * (seen_faction + rumours[k].faction_total)
    } else {
        0.0
    };
    let down = c.trust_harm_loss * ((1.0 + c.negativity_bias) * seen_harm + insecurity);
    let t = saturating(f64::from(s.civilians.trust[i]), up, down);
    let t0 = f64::from(s.civilians.trust0[i]);
    s.civilians.trust[i] = (t + s.rules.derived.trust_rate * (t0 - t)) as f32;
}

/// How today's community-policing contacts within the witness radius are
/// read.
enum Policing {
    /// Box-summed once for the day into `scratch[3]`.
    Summed,
    /// Added up row by row for every cell (`policing_by_rows`), row-major.
    ByRow(Vec<f32>),
}

/// Today's policing contacts, box-summed for all civilians at once when
/// that gives `policing_by_rows`' bits: its `f32` sums are exact when
/// [`Layer::sums_are_exact`] holds for `f32`, and then, the values being
/// at least zero, equal the exact box sum the table gives.
fn policing_nearby(s: &mut MissionState) -> Policing {
    let l = &mut s.layers;
    // (A fold, not `all`: without the early exit it vectorises.)
    let nonnegative = l
        .policing
        .values()
        .iter()
        .fold(true, |a, &v| a & (v >= 0.0));
    let r = s.rules.derived.witness_cells;
    if nonnegative && l.policing.sums_are_exact(f32::MANTISSA_DIGITS) {
        l.policing.box_sum(r, &mut l.table, &mut l.scratch[3]);
        Policing::Summed
    } else {
        let (mut rows, mut seen) = (
            std::mem::take(&mut l.policing_rows),
            std::mem::take(&mut l.policing_seen),
        );
        policing_by_rows(&l.policing, s.map.grid.width(), r, &mut rows, &mut seen);
        l.policing_rows = rows;
        Policing::ByRow(seen)
    }
}

/// Community-policing contacts within the witness radius of every cell, in
/// `f32`: per row of the square, the sum of the row's values within the
/// radius, left to right; these row sums added top to bottom, from +0.0.
/// Rows without a contact are skipped: adding their +0.0 sum would not
/// change the total, and on most days most rows are empty.
///
/// The same additions in the same order as a scan per civilian, but each
/// row sum is made once for all the cells that share it, and the columns
/// are added for all cells of a row at once (vectorised). The sums go to
/// `seen` (row-major), `row_sums` is scratch; both are resized, and
/// whatever they held does not matter (a row's sums are written before
/// they are read, `seen` is cleared).
fn policing_by_rows(
    layer: &Layer,
    w: usize,
    r: usize,
    row_sums: &mut Vec<f32>,
    seen: &mut Vec<f32>,
) {
    let w = w.max(1);
    let n = layer.values().len();
    let any = nonzero_rows(layer, w);
    let h = any.len();
    row_sums.resize(n, 0.0);
    seen.clear();
    seen.resize(n, 0.0);
    let rows = layer.values().chunks(w).zip(row_sums.chunks_mut(w));
    for ((row, out), _) in rows.zip(&any).filter(|(_, any)| **any) {
        window_sums(row, r, out);
    }
    for (y, out) in seen.chunks_mut(w).enumerate() {
        for row in y.saturating_sub(r)..(y + r + 1).min(h) {
            if any[row] {
                for (o, &v) in out.iter_mut().zip(&row_sums[row * w..(row + 1) * w]) {
                    *o += v;
                }
            }
        }
    }
}

/// `out[x]`: the sum of `row` within `r` of column `x` (cut at the ends),
/// left to right, as `iter().sum::<f32>()` of that window adds it.
///
/// Where the window is not cut, the sums of all such columns are built
/// together, one term at a time (the same additions in the same order for
/// each column, vectorised across columns); the first term goes through
/// `Sum` itself, so the sum starts from whatever `Sum` starts from.
fn window_sums(row: &[f32], r: usize, out: &mut [f32]) {
    let w = row.len();
    let plain = |x: usize| {
        row[x.saturating_sub(r)..(x + r + 1).min(w)]
            .iter()
            .sum::<f32>()
    };
    if w <= 2 * r {
        for (x, o) in out.iter_mut().enumerate() {
            *o = plain(x);
        }
        return;
    }
    // Columns r .. r + n have the whole window x − r ..= x + r.
    let n = w - 2 * r;
    let inner = &mut out[r..r + n];
    for (o, &v) in inner.iter_mut().zip(&row[..n]) {
        *o = std::iter::once(v).sum::<f32>();
    }
    for k in 1..=2 * r {
        for (o, &v) in inner.iter_mut().zip(&row[k..k + n]) {
            *o += v;
        }
    }
    for x in (0..r).chain(r + n..w) {
        out[x] = plain(x);
    }
}

/// Whether each row of `layer` (width `w`) holds a value other than zero
/// (±0.0 are zero; NaN is not). Tested without an early exit, so that it
/// vectorises: most rows are empty and are read to their end either way.
fn nonzero_rows(layer: &Layer, w: usize) -> Vec<bool> {
    layer
        .values()
        .chunks(w.max(1))
        .map(|row| row.iter().fold(0, |a, &v| a | (v.to_bits() & 0x7fff_ffff)) != 0)
        .collect()
}

/// Sympathy for each faction: up with mission-side and external harm
/// (backlash, shared in proportion to existing leanings, arriving with a
/// lag: what was witnessed builds up as resentment that flows in at
/// 1/`backlash_lag_days` a day), down with the
/// faction's own harm (less so for partisans), back towards its support.
fn update_sympathy(s: &mut MissionState, i: usize, (at, k): (usize, usize), rumours: &[Rumours]) {
    let nf = s.factions.len();
    if nf == 0 {
        return;
    }
    let c = &s.rules.config.civilians;
    let seen = f64::from(s.layers.scratch[1].get(at)) + rumours[k].backlash;
    // Backlash builds up as resentment and turns into sympathy over the lag.
    let pending = f64::from(s.civilians.resentment[i]) + seen;
    let backlash = pending / c.backlash_lag_days.max(1.0);
    s.civilians.resentment[i] = (pending - backlash) as f32;
    let row = &mut s.civilians.sympathy[i * nf..(i + 1) * nf];
    let total: f64 = row.iter().map(|&x| f64::from(x)).sum();
    for (f, x) in row.iter_mut().enumerate() {
        let v = f64::from(*x);
        let lean = if total > 0.0 {
            v / total
        } else {
            1.0 / nf as f64
        };
        let own = f64::from(s.layers.seen_faction[f].get(at)) + rumours[k].faction[f];
        let up = c.sympathy_backlash_gain * backlash * lean;
        let down = c.sympathy_own_harm_loss * own * (1.0 - v);
        let next = saturating(v, up, down);
        let support = s.rules.config.factions[f].support;
        *x = (next + s.rules.derived.sympathy_rate * (support - next)) as f32;
    }
}

/// Social contagion: trust and each sympathy move a share of the way
/// towards the mean of agents within the contagion radius (synchronous:
/// means are taken before anyone moves). Trust's pull is weaker than its
/// anchoring to each agent's own baseline (Friedkin–Johnsen), so agents
/// keep their differences. The civilians on the grid (neither dead,
/// detained nor recruited) are those `update_perceptions` listed in
/// `Layers::on_grid` today.
fn contagion(s: &mut MissionState) {
    let r = s.rules.derived.contagion_cells;
    let c = &s.rules.config.civilians;
    let (mu_trust, mu) = (c.trust_contagion_weight as f32, c.contagion_weight as f32);
    let nf = s.factions.len();
    let civ = &mut s.civilians;
    let l = &mut s.layers;
    l.count.clear();
    for g in &l.on_grid {
        l.count.add(g.at, 1.0);
    }
    l.count.box_sum(r, &mut l.table, &mut l.count_sum);
    // Where each civilian's box lies in a summed-area table depends only on
    // the grid's shape: worked out once for every sympathy below.
    l.table_boxes.clear();
    let boxes = l.on_grid.iter().map(|g| l.count.table_box(r, g.xy));
    l.table_boxes.extend(boxes);
    // Trust first (its mean around every cell also feeds community-policing
    // tips), then each sympathy.
    for attitude in 0..=nf {
        let [raw, mean, ..] = &mut l.scratch;
        raw.clear();
        for g in &l.on_grid {
            raw.add(g.at, attitude_of(civ, nf, g.agent, attitude));
        }
        let w = if attitude == 0 { mu_trust } else { mu };
        let pull = |x: f32, sum: f32, n: f32| {
            let m = if n > 0.0 { sum / n } else { 0.0 };
            (x + w * (m - x)).clamp(0.0, 1.0)
        };
        if attitude == 0 {
            raw.box_sum(r, &mut l.table, mean);
            for g in &l.on_grid {
                let x = attitude_of(civ, nf, g.agent, attitude);
                let pulled = pull(x, mean.get(g.at), l.count_sum.get(g.at));
                set_attitude(civ, nf, g.agent, attitude, pulled);
            }
            let nearby = l.trust_nearby.values_mut().iter_mut();
            for ((t, &m), &n) in nearby.zip(mean.values()).zip(l.count_sum.values()) {
                *t = if n > 0.0 { m / n } else { 0.0 };
            }
        } else {
            // A sympathy's mean is read only at the civilians' own cells:
            // their boxes are read from the table, the same bits as the
            // box sum of every cell gives there.
            raw.summed_area(&mut l.table);
            for (g, &b) in l.on_grid.iter().zip(&l.table_boxes) {
                let x = attitude_of(civ, nf, g.agent, attitude);
                let sum = table_box_read(&l.table, b);
                let pulled = pull(x, sum, l.count_sum.get(g.at));
                set_attitude(civ, nf, g.agent, attitude, pulled);
            }
        }
    }
}

/// Attitude 0 is trust; attitude 1 + f is sympathy for faction f.
fn attitude_of(c: &super::state::Civilians, nf: usize, i: usize, attitude: usize) -> f32 {
    if attitude == 0 {
        c.trust[i]
    } else {
        c.sympathy[i * nf + attitude - 1]
    }
}

fn set_attitude(c: &mut super::state::Civilians, nf: usize, i: usize, attitude: usize, v: f32) {
    if attitude == 0 {
        c.trust[i] = v;
    } else {
        c.sympathy[i * nf + attitude - 1] = v;
    }
}

/// The order's legitimacy relaxes towards base + the political levers'
/// gains: without a political horizon it decays.
fn update_legitimacy(legitimacy: &mut f64, rules: &Rules) {
    let g = &rules.config.legitimacy;
    let m = &rules.config.mandate;
    let unsc = if m.unsc_mandate { 1.0 } else { 0.0 };
    let target = (g.base
        + g.horizon_gain * m.political_horizon
        + g.ownership_gain * m.local_ownership
        + g.unsc_gain * unsc
        + g.sponsor_gain * m.sponsor_pressure)
        .clamp(0.0, 1.0);
    *legitimacy += rules.derived.legitimacy_rate * (target - *legitimacy);
}

#[cfg(test)]
mod tests {
    use super::super::forces::tests::gaza;
    use super::super::state::Perpetrator;
    use super::*;

    /// Mean trust after day `day`'s perception update in which the first
    /// faction killed 5 people at every 50th civilian's cell, with
    /// `insecurity_blame` set to each of `blames` on the same state.
    fn trust_after(day: u32, blames: [f64; 2]) -> [f64; 2] {
        let base = gaza(&[], day);
        blames.map(|blame| {
            let mut s = base.clone();
            s.rules.config.civilians.insecurity_blame = blame;
            for i in (0..s.civilians.len()).step_by(50) {
                let cell = s.civilians.cell[i];
                s.record_harm(cell, 5.0, Perpetrator::Faction(0));
            }
            update_perceptions(&mut s, day);
            let trust = &s.civilians.trust;
            trust.iter().map(|&t| f64::from(t)).sum::<f64>() / trust.len() as f64
        })
    }

    #[test]
    fn policing_summed_for_the_day_reads_as_row_by_row() {
        let mut s = gaza(&[], 40);
        let n = s.layers.policing.values().len();
        for (k, i) in (0..n).step_by(97).enumerate() {
            s.layers.policing.add(i, (k % 3 + 1) as f32);
        }
        let w = s.map.grid.width();
        let r = s.rules.derived.witness_cells;
        let (mut rows, mut by_rows) = (Vec::new(), Vec::new());
        policing_by_rows(&s.layers.policing, w, r, &mut rows, &mut by_rows);
        assert!(matches!(policing_nearby(&mut s), Policing::Summed));
        for (at, seen) in by_rows.iter().enumerate() {
            let summed = s.layers.scratch[3].get(at);
            assert_eq!(summed.to_bits(), seen.to_bits());
        }
        // A fraction too fine for an f32 sum beside a large count: row by row.
        s.layers.policing.add(5, 1.0e-6);
        s.layers.policing.add(6, 4096.0);
        assert!(matches!(policing_nearby(&mut s), Policing::ByRow(_)));
    }

    /// The per-civilian scan that `policing_by_rows` replaced: each row's
    /// window summed in `f32`, rows without a contact skipped.
    fn policing_seen_plain(layer: &Layer, r: usize, w: usize, at: usize) -> f32 {
        let h = layer.values().len() / w;
        let (x, y) = (at % w, at / w);
        let mut sum = 0.0;
        let rows = layer.values().chunks(w);
        for row in rows.take((y + r + 1).min(h)).skip(y.saturating_sub(r)) {
            if row.iter().any(|&v| v != 0.0) {
                sum += row[x.saturating_sub(r)..(x + r + 1).min(w)]
                    .iter()
                    .sum::<f32>();
            }
        }
        sum
    }

    #[test]
    fn policing_by_rows_gives_the_per_civilian_scan_to_the_bit() {
        // Inexact values (the contacts' credit × quality), −0.0, a fraction
        // too fine beside a large count, empty rows; radii cut by the edges.
        for (w, h) in [(23, 17), (56, 160), (1, 9), (4, 3)] {
            check_policing_by_rows(w, h);
        }
    }

    fn check_policing_by_rows(w: usize, h: usize) {
        let mut layer = Layer::new(w, h);
        let mut u = 7u64;
        for i in 0..w * h {
            u = u
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if (u >> 60) < 3 && (i / w) % 4 != 1 {
                layer.add(i, ((u >> 11) as f32 / (1u64 << 53) as f32) * 0.7);
            }
        }
        layer.add(3 % (w * h), 4096.0);
        layer.add(4 % (w * h), 1.0e-6);
        layer.values_mut()[(5 * w + 2) % (w * h)] = -0.0;
        // A row of −0.0 and +0.0 only, and a NaN's row (in the larger grid).
        if h > 20 {
            layer.values_mut()[9 * w..10 * w].fill(-0.0);
            layer.values_mut()[9 * w + 3] = 0.0;
            layer.values_mut()[13 * w + 5] = f32::NAN;
        }
        // Scratch left by a larger grid and by the last radius, NaN where
        // nothing should read it: it must not show.
        let (mut rows, mut seen) = (vec![f32::NAN; 2 * w * h], vec![f32::NAN; w * h + 5]);
        for r in [0, 1, 4, 9, 30] {
            policing_by_rows(&layer, w, r, &mut rows, &mut seen);
            assert_eq!(seen.len(), w * h);
            for (at, v) in seen.iter().enumerate() {
                let plain = policing_seen_plain(&layer, r, w, at);
                assert_eq!(v.to_bits(), plain.to_bits(), "{w}x{h} r {r} at {at}");
            }
        }
    }

    /// The list of civilians on the grid `contagion` reads, as it made it
    /// itself before `update_perceptions` made it.
    fn list_on_grid(s: &mut MissionState) {
        let (civ, grid) = (&s.civilians, &s.map.grid);
        s.layers.on_grid.clear();
        s.layers.on_grid.extend(
            (0..civ.len())
                .filter(|&i| {
                    !matches!(
                        civ.status[i],
                        Status::Dead | Status::Detained | Status::Recruited
                    )
                })
                .map(|agent| {
                    let xy = grid.coords(civ.cell[agent]);
                    let at = xy.1 * grid.width() + xy.0;
                    OnGrid { agent, at, xy }
                }),
        );
    }

    /// The contagion step as it was before its scratch was kept and the
    /// sympathies' means were read at the civilians' cells only: every
    /// mean box-summed over the whole grid, then divided cell by cell.
    fn contagion_plain(s: &mut MissionState) {
        let r = s.rules.derived.contagion_cells;
        let c = &s.rules.config.civilians;
        let (mu_trust, mu) = (c.trust_contagion_weight as f32, c.contagion_weight as f32);
        let nf = s.factions.len();
        let (w, h) = (s.map.grid.width(), s.map.grid.height());
        let mut count = Layer::new(w, h);
        let mut count_sum = Layer::new(w, h);
        let on_grid: Vec<(usize, usize)> = (0..s.civilians.len())
            .filter(|&i| {
                !matches!(
                    s.civilians.status[i],
                    Status::Dead | Status::Detained | Status::Recruited
                )
            })
            .map(|i| (i, s.map.grid.interior(s.civilians.cell[i])))
            .collect();
        for &(_, at) in &on_grid {
            count.add(at, 1.0);
        }
        count.box_sum(r, &mut s.layers.table, &mut count_sum);
        for attitude in 0..=nf {
            let [raw, mean, ..] = &mut s.layers.scratch;
            raw.clear();
            for &(i, at) in &on_grid {
                raw.add(at, attitude_of(&s.civilians, nf, i, attitude));
            }
            raw.box_sum(r, &mut s.layers.table, mean);
            for (m, &n) in mean.values_mut().iter_mut().zip(count_sum.values()) {
                *m = if n > 0.0 { *m / n } else { 0.0 };
            }
            for &(i, at) in &on_grid {
                let x = attitude_of(&s.civilians, nf, i, attitude);
                let w = if attitude == 0 { mu_trust } else { mu };
                let pulled = x + w * (mean.get(at) - x);
                set_attitude(&mut s.civilians, nf, i, attitude, pulled.clamp(0.0, 1.0));
            }
            if attitude == 0 {
                s.layers
                    .trust_nearby
                    .values_mut()
                    .copy_from_slice(s.layers.scratch[1].values());
            }
        }
    }

    #[test]
    fn contagion_gives_the_plain_steps_bits() {
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let same = |a: &MissionState, b: &MissionState| {
            assert_eq!(bits(&a.civilians.trust), bits(&b.civilians.trust));
            assert_eq!(bits(&a.civilians.sympathy), bits(&b.civilians.sympathy));
            let nearby = |s: &MissionState| bits(s.layers.trust_nearby.values());
            assert_eq!(nearby(a), nearby(b));
        };
        // Days 0 and 40 of the baseline, twice over on the same state (the
        // second time on kept scratch).
        for day in [0, 40] {
            let mut kept = gaza(&[], day);
            let mut plain = kept.clone();
            for _ in 0..2 {
                list_on_grid(&mut kept);
                contagion(&mut kept);
                contagion_plain(&mut plain);
                same(&kept, &plain);
            }
        }
        // A faction nobody sympathises with but a few (its layer sparse:
        // `box_sum` may scatter it), and one with sympathies below 2^-20 in
        // the grid's lower half, up to 1 above: the table's f64 sums round,
        // and a box of tiny values far from the table's origin is a
        // difference of large entries, where a change in the order of the
        // operations would show even in f32.
        let mut kept = gaza(&[], 5);
        let nf = kept.factions.len();
        let n = kept.civilians.len();
        let h = kept.map.grid.height();
        for i in 0..n {
            let (_, y) = kept.map.grid.coords(kept.civilians.cell[i]);
            let scale = if y < h / 2 {
                1.0
            } else {
                2f32.powi(-20 - (i % 20) as i32)
            };
            let row = &mut kept.civilians.sympathy[i * nf..(i + 1) * nf];
            row[0] = if i % 97 == 0 { 0.5 } else { 0.0 };
            row[nf - 1] = (i as f32 * 0.618_034).fract() * scale;
        }
        let mut plain = kept.clone();
        for _ in 0..3 {
            list_on_grid(&mut kept);
            contagion(&mut kept);
            contagion_plain(&mut plain);
            same(&kept, &plain);
        }
    }

    #[test]
    fn rumours_follow_violence_per_head_beyond_their_reach() {
        let reach = 1_000_000.0;
        // Up to the reach everyone hears, with the weight's own bits.
        for people in [0.0, 1.0, 287_206.0, reach] {
            assert_eq!(rumour_share(reach, people).to_bits(), 1f64.to_bits());
        }
        // Beyond it a person hears the sector's events in proportion to the
        // violence per head: one sector of 4 million with 40 events sounds
        // to each person like one of 2 million with 20, or of the reach
        // with 10 (and not four times as loud, as without a reach).
        let heard = |people: f64, events: f64| events * rumour_share(reach, people);
        assert_eq!(heard(4e6, 40.0), heard(2e6, 20.0));
        assert_eq!(heard(4e6, 40.0), heard(reach, 10.0));
        assert!(rumour_share(reach, 2.2e6) < 0.5);
    }

    #[test]
    fn sector_sums_skip_zeros_without_changing_a_bit() {
        // The cell-by-cell loop they replaced, zeros (and −0.0) included.
        let (w, h, ns) = (70, 9, 4);
        let cells: Vec<u16> = (0..w * h).map(|i| ((i / 13) % ns) as u16).collect();
        let mut layer = Layer::new(w, h);
        for (i, v) in [(3, 0.1f32), (65, 2.5), (300, 1e-7), (301, -0.1), (629, 7.0)] {
            layer.add(i, v);
        }
        layer.values_mut()[64] = -0.0;
        let mut dense = vec![0.0f64; ns];
        for (&k, &v) in cells.iter().zip(layer.values()) {
            dense[k as usize] += f64::from(v);
        }
        let sparse = sums_by_sector(&layer, &cells, ns);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&sparse), bits(&dense));
        assert_eq!(bits(&sums_by_sector(&Layer::new(w, h), &cells, ns)), [0; 4]);
    }

    /// The witnesses' response on day 40 after `harm` was done at every
    /// 50th civilian's cell, with `protection` (share saved) at the same
    /// cells, `insecurity_blame`, `trust_protection_gain` and
    /// `trust_protection_after_killing` as given.
    fn response_after(
        harm: Perpetrator,
        protection: f32,
        blame: f64,
        (gain, after_killing): (f64, f64),
    ) -> super::super::state::WitnessResponse {
        let mut s = gaza(&[], 40);
        let c = &mut s.rules.config.civilians;
        c.insecurity_blame = blame;
        c.trust_protection_gain = gain;
        c.trust_protection_after_killing = after_killing;
        for i in (0..s.civilians.len()).step_by(50) {
            let cell = s.civilians.cell[i];
            s.record_harm(cell, 3.0, harm);
            let at = s.map.grid.interior(cell);
            s.layers.protection.add(at, protection);
        }
        update_perceptions(&mut s, 40);
        s.today.witnessed
    }

    /// The witnesses' response as it was before it walked the day's list
    /// of civilians on the grid: every agent, its sector found again from
    /// its cell, a new vector of sector sums.
    fn witness_response_plain(s: &MissionState) -> WitnessResponse {
        let c = &s.civilians;
        let w = &s.witnesses;
        let ns = s.sectors.len();
        let counted = |i: usize| c.status[i] != Status::Recruited && w.saw[i] != Witnesses::OTHER;
        let sector = |i: usize| usize::from(s.map.cell_sector[s.map.grid.interior(c.cell[i])]);
        let change = |i: usize| f64::from(c.trust[i]) - f64::from(w.trust_before[i]);
        let mut unharmed = vec![(0.0f64, 0.0f64); ns];
        for i in (0..c.len()).filter(|&i| counted(i) && w.saw[i] == Witnesses::NONE) {
            let m = f64::from(c.members[i]);
            let u = &mut unharmed[sector(i)];
            u.0 += m * change(i);
            u.1 += m;
        }
        let mut r = WitnessResponse::default();
        for i in (0..c.len()).filter(|&i| counted(i) && w.saw[i] != Witnesses::NONE) {
            let (sum, people) = unharmed[sector(i)];
            if people <= 0.0 {
                continue;
            }
            let m = f64::from(c.members[i]);
            let excess = m * (change(i) - sum / people);
            if w.saw[i] == Witnesses::FACTION {
                r.faction_people += m;
                r.faction_response += excess;
            } else {
                r.mission_people += m;
                r.mission_response += excess;
            }
        }
        r
    }

    #[test]
    fn faction_killings_seen_are_read_once_with_the_same_bits() {
        // Killings by every faction, of magnitudes far apart, at different
        // civilians' cells: at every cell, `harm_seen` classes what was seen
        // as the test on each faction's layer did, and its sum has the bits
        // `update_trust` took itself; each sector's faction rumour total has
        // the bits of the sum taken per civilian.
        let mut s = gaza(&[], 40);
        let nf = s.factions.len();
        assert!(nf > 1);
        for i in (0..s.civilians.len()).step_by(29) {
            let cell = s.civilians.cell[i];
            if cell == crate::world::NO_CELL {
                continue;
            }
            let size = [3.0, 1.0e-5, 700.0][i % 3];
            s.record_harm(cell, size, Perpetrator::Faction((i % nf) as u8));
        }
        let r = s.rules.derived.witness_cells;
        let l = &mut s.layers;
        for (raw, seen) in l.harm_faction.iter().zip(l.seen_faction.iter_mut()) {
            raw.box_sum(r, &mut l.table, seen);
        }
        // No harm by the mission seen today, but at a few cells.
        l.scratch[0].clear();
        l.scratch[1].clear();
        for at in (0..l.scratch[0].values().len()).step_by(97) {
            l.scratch[at % 2].add(at, 0.5);
        }
        let mut classes = [0; 4];
        for at in 0..s.layers.seen_faction[0].values().len() {
            let l = &s.layers;
            let (saw, sum) = harm_seen(l, at);
            let plain: f64 = l.seen_faction.iter().map(|x| f64::from(x.get(at))).sum();
            assert_eq!(sum.to_bits(), plain.to_bits(), "at {at}");
            let faction = l.seen_faction.iter().any(|x| x.get(at) > 0.0);
            let attributed = l.scratch[0].get(at) > 0.0;
            let backlash = l.scratch[1].get(at) > 0.0;
            let want = match (faction, attributed, backlash) {
                (false, false, false) => Witnesses::NONE,
                (true, false, false) => Witnesses::FACTION,
                (false, true, _) => Witnesses::MISSION,
                _ => Witnesses::OTHER,
            };
            assert_eq!(saw, want, "at {at}");
            classes[usize::from(saw)] += 1;
        }
        assert!(classes.iter().all(|&n| n > 10), "{classes:?}");
        for tot in sector_rumours(&s) {
            let plain = tot.faction.iter().sum::<f64>();
            assert!(plain > 0.0);
            assert_eq!(tot.faction_total.to_bits(), plain.to_bits());
        }
    }

    #[test]
    fn the_day_lists_civilians_and_witnesses_as_before() {
        // Days 40 to 42 on one state (kept scratch), with faction killings
        // and mission harm at different civilians' cells, recruits on the
        // grid: the list of civilians on the grid the perception update
        // leaves is the one contagion made itself, and the witnesses'
        // response has the bits of the scan over every agent.
        let bits = |r: WitnessResponse| {
            [
                r.faction_people,
                r.faction_response,
                r.mission_people,
                r.mission_response,
            ]
            .map(f64::to_bits)
        };
        let listed = |s: &MissionState| {
            let l = &s.layers.on_grid;
            l.iter().map(|g| (g.agent, g.at, g.xy)).collect::<Vec<_>>()
        };
        let mut s = gaza(&[], 40);
        assert!(s.civilians.status.contains(&Status::Recruited));
        for day in 40..43 {
            for i in (0..s.civilians.len()).step_by(37) {
                let cell = s.civilians.cell[i];
                if cell == crate::world::NO_CELL {
                    continue;
                }
                let who = if i % 2 == 0 {
                    Perpetrator::Faction(0)
                } else {
                    Perpetrator::Mission
                };
                s.record_harm(cell, 2.0, who);
            }
            update_perceptions(&mut s, day);
            let r = s.today.witnessed;
            assert!(r.faction_people > 0.0 && r.mission_people > 0.0, "{r:?}");
            assert_eq!(bits(r), bits(witness_response_plain(&s)), "day {day}");
            let kept = listed(&s);
            list_on_grid(&mut s);
            assert_eq!(kept, listed(&s), "day {day}");
        }
    }

    #[test]
    fn witnesses_of_harm_are_compared_with_the_unharmed_of_their_sector() {
        // Faction killings with no response: a present mission is blamed.
        let r = response_after(Perpetrator::Faction(0), 0.0, 0.5, (0.05, 0.0));
        assert!(r.faction_people > 0.0 && r.mission_people == 0.0, "{r:?}");
        assert!(r.faction_response < 0.0, "{r:?}");
        // The same killings answered by the mission, whose protection the
        // same witnesses see, fully credited: the measure shows the credit
        // outweighing the blame (it is an observation, not a rule that
        // forbids it).
        let r = response_after(Perpetrator::Faction(0), 1.0, 0.05, (0.1, 1.0));
        assert!(r.faction_response > 0.0, "{r:?}");
        // Harm by the mission: its witnesses lose trust.
        let r = response_after(Perpetrator::Mission, 0.0, 0.1, (0.05, 0.0));
        assert!(r.mission_people > 0.0 && r.faction_people == 0.0, "{r:?}");
        assert!(r.mission_response < 0.0, "{r:?}");
        // Nobody harmed: no witnesses, nothing to report.
        let mut s = gaza(&[], 40);
        update_perceptions(&mut s, 40);
        let r = s.today.witnessed;
        assert_eq!((r.faction_people, r.mission_people), (0.0, 0.0));
    }

    #[test]
    fn protection_seen_beside_a_faction_killing_earns_only_its_share() {
        let answered = |share| response_after(Perpetrator::Faction(0), 1.0, 0.05, (0.1, share));
        // Uncredited, the answered killing leaves its witnesses below the
        // unharmed, as an unanswered one does.
        let none = answered(0.0);
        assert!(none.faction_response < 0.0, "{none:?}");
        // The response rises with the share credited.
        let half = answered(0.5);
        let full = answered(1.0);
        assert!(
            none.faction_response < half.faction_response,
            "{none:?} {half:?}"
        );
        assert!(
            half.faction_response < full.faction_response,
            "{half:?} {full:?}"
        );
        // Protection without a killing is credited whatever the share.
        let trust = |protection: f32, share: f64| {
            let mut s = gaza(&[], 40);
            s.rules.config.civilians.trust_protection_after_killing = share;
            let at = s.map.grid.interior(s.civilians.cell[0]);
            s.layers.protection.add(at, protection);
            update_perceptions(&mut s, 40);
            s.civilians.trust[0]
        };
        let unprotected = trust(0.0, 0.0);
        let (uncredited, credited) = (trust(1.0, 0.0), trust(1.0, 1.0));
        assert!(credited > unprotected + 1e-3, "{credited} vs {unprotected}");
        assert_eq!(uncredited.to_bits(), credited.to_bits());
    }

    #[test]
    fn a_present_mission_is_blamed_for_faction_killings_an_absent_one_is_not() {
        // Day 40: the mission (deployed after day 30) is there.
        let [none, blamed] = trust_after(40, [0.0, 0.5]);
        assert!(blamed < none - 1e-4, "{blamed} vs {none}");
        // Day 10: nobody to blame yet.
        let [none, blamed] = trust_after(10, [0.0, 0.5]);
        assert_eq!(blamed, none);
    }
}
