//! Renders a demonstration band chart, as PNG and SVG, from synthetic data
//! shaped like the civil violence model's output: quiescent, active and
//! jailed citizens over 1000 ticks, with bursts of rebellion.
//!
//! ```text
//! cargo run --example plot_demo [OUT_DIR]   # writes OUT_DIR/plot_demo.{png,svg}, default /tmp
//! ```

use std::path::PathBuf;

use stabsim::plot::{Band, BandChart, render_png, render_svg, replicate_footnote};

/// Synthetic medians and 5–95 % bands for three citizen states.
fn demo_chart() -> BandChart {
    let n = 1000;
    let x: Vec<f64> = (0..n).map(f64::from).collect();
    // Bursts of rebellion every 180 ticks, each about 25 ticks long.
    let burst = |t: f64| -> f64 {
        let phase = (t + 40.0).rem_euclid(180.0);
        if phase < 25.0 {
            (phase / 25.0 * std::f64::consts::PI).sin()
        } else {
            0.0
        }
    };
    let wiggle = |t: f64, k: f64| 0.5 * (t * 0.37 + k).sin() + 0.5 * (t * 0.071 + 2.0 * k).cos();
    let mut quiescent = Band {
        label: "Quiescent".into(),
        ..Band::default()
    };
    let mut active = Band {
        label: "Active".into(),
        ..Band::default()
    };
    let mut jailed = Band {
        label: "Jailed".into(),
        ..Band::default()
    };
    for &t in &x {
        let a = 30.0 + 380.0 * burst(t) + 8.0 * wiggle(t, 1.0);
        let j = 60.0
            + 120.0 * (1.0 - (-t / 150.0).exp())
            + 90.0 * burst(t - 15.0)
            + 5.0 * wiggle(t, 2.0);
        let q = 1120.0 - a - j;
        for (band, v, spread) in [
            (&mut quiescent, q, 0.08),
            (&mut active, a, 0.35),
            (&mut jailed, j, 0.2),
        ] {
            let v: f64 = v.max(0.0);
            band.p50.push(v);
            band.p05.push((v * (1.0 - spread) - 5.0).max(0.0));
            band.p95.push(v * (1.0 + spread) + 5.0);
        }
    }
    BandChart {
        title: "Citizens by state".into(),
        subtitle: Some("Epstein civil violence, Model I \u{b7} vision 7, legitimacy 0.82".into()),
        x_label: "Tick".into(),
        y_label: "Citizens".into(),
        x,
        bands: vec![quiescent, active, jailed],
        footnote: Some(replicate_footnote(30)),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    let chart = demo_chart();
    let png = render_png(&chart, 1200, 700)?;
    let svg = render_svg(&chart, 1200, 700)?;
    let (png_path, svg_path) = (dir.join("plot_demo.png"), dir.join("plot_demo.svg"));
    std::fs::write(&png_path, &png)?;
    std::fs::write(&svg_path, &svg)?;
    println!("{}: {} bytes", png_path.display(), png.len());
    println!("{}: {} bytes", svg_path.display(), svg.len());
    Ok(())
}
