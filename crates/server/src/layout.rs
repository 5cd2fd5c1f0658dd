//! A force-directed layout (Fruchterman and Reingold's) for the network page, computed here so
//! the page needs no graph library and draws the same picture every time for the same data.

/// Positions of `n` nodes inside a `width` × `height` box, given undirected weighted edges
/// (node indices). Deterministic: nodes start on a circle in the order given.
pub fn force_layout(n: usize, edges: &[(usize, usize, f64)], width: f64, height: f64) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let (cx, cy) = (width / 2.0, height / 2.0);
    let radius = 0.4 * width.min(height);
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = i as f64 * std::f64::consts::TAU / n as f64;
            // A golden-ratio spiral rather than one ring, so large graphs do not start as a
            // circle the forces take long to undo.
            let r = radius * (0.35 + 0.65 * ((i as f64 * 0.618_033_988_7).fract()));
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    if n == 1 {
        return vec![(cx, cy)];
    }
    let k = (width * height / n as f64).sqrt() * 0.75;
    let mut temperature = width.min(height) / 8.0;
    const ITERATIONS: usize = 300;
    let cooling = temperature / (ITERATIONS as f64 + 1.0);
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for _ in 0..ITERATIONS {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let dist = (dx * dx + dy * dy).sqrt().max(0.01);
                let force = k * k / dist;
                let (fx, fy) = (dx / dist * force, dy / dist * force);
                disp[i].0 += fx;
                disp[i].1 += fy;
                disp[j].0 -= fx;
                disp[j].1 -= fy;
            }
        }
        for &(a, b, w) in edges {
            if a == b || a >= n || b >= n {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let dist = (dx * dx + dy * dy).sqrt().max(0.01);
            let force = dist * dist / k * (1.0 + w.ln_1p());
            let (fx, fy) = (dx / dist * force, dy / dist * force);
            disp[a].0 -= fx;
            disp[a].1 -= fy;
            disp[b].0 += fx;
            disp[b].1 += fy;
        }
        for i in 0..n {
            // A pull to the centre, like a spring to it, keeps unconnected parts together.
            let (gx, gy) = (cx - pos[i].0, cy - pos[i].1);
            let g = (gx * gx + gy * gy).sqrt() / k * 0.5;
            disp[i].0 += gx * g;
            disp[i].1 += gy * g;
            let len = (disp[i].0 * disp[i].0 + disp[i].1 * disp[i].1).sqrt().max(0.01);
            let step = len.min(temperature);
            pos[i].0 = (pos[i].0 + disp[i].0 / len * step).clamp(20.0, width - 20.0);
            pos[i].1 = (pos[i].1 + disp[i].1 / len * step).clamp(20.0, height - 20.0);
        }
        temperature = (temperature - cooling).max(1.0);
    }
    fit(&mut pos, width, height);
    pos
}

/// Scales and moves the drawing to fill the box, keeping a margin and the aspect ratio.
fn fit(pos: &mut [(f64, f64)], width: f64, height: f64) {
    let margin = 40.0;
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in pos.iter() {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let (w, h) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
    let scale = ((width - 2.0 * margin) / w).min((height - 2.0 * margin) / h);
    let (ox, oy) = ((width - w * scale) / 2.0, (height - h * scale) / 2.0);
    for p in pos.iter_mut() {
        *p = (ox + (p.0 - x0) * scale, oy + (p.1 - y0) * scale);
    }
}

#[cfg(test)]
mod tests {
    use super::force_layout;

    #[test]
    fn layout_is_deterministic_in_bounds_and_pulls_linked_nodes_closer() {
        let edges = [(0, 1, 3.0), (1, 2, 1.0), (3, 4, 1.0)];
        let a = force_layout(6, &edges, 800.0, 600.0);
        assert_eq!(a, force_layout(6, &edges, 800.0, 600.0));
        assert!(a.iter().all(|&(x, y)| (40.0..=760.0).contains(&x) && (40.0..=560.0).contains(&y)));
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 5), "linked {} vs unlinked {}", d(0, 1), d(0, 5));
    }
}
