import CCairo

/// Filled and stroked shapes.
extension Canvas {
    /// Fills an axis-aligned rectangle. With whole-number coordinates the
    /// covered pixels get exactly `color` (no anti-aliased edge).
    public func fillRect(x: Double, y: Double, width: Double, height: Double, color: CanvasColor) {
        saved {
            cairo_rectangle(cr, x, y, width, height)
            setColor(color)
            cairo_fill(cr)
        }
    }

    /// Fills a rectangle with rounded corners of radius `radius` (clamped to
    /// half the shorter side).
    public func fillRoundedRect(x: Double, y: Double, width: Double, height: Double, radius: Double,
                                color: CanvasColor) {
        saved {
            roundedRectPath(x: x, y: y, width: width, height: height, radius: radius)
            setColor(color)
            cairo_fill(cr)
        }
    }

    /// Outlines a rounded rectangle; the line is centred on its edge.
    public func strokeRoundedRect(x: Double, y: Double, width: Double, height: Double, radius: Double,
                                  color: CanvasColor, lineWidth: Double = 1) {
        saved {
            roundedRectPath(x: x, y: y, width: width, height: height, radius: radius)
            setColor(color)
            cairo_set_line_width(cr, lineWidth)
            cairo_stroke(cr)
        }
    }

    /// A straight line segment.
    /// - Parameter dash: lengths of alternating on/off pieces, e.g. `[8, 5]`; empty for solid.
    public func strokeLine(from a: (x: Double, y: Double), to b: (x: Double, y: Double), color: CanvasColor,
                           width: Double = 1, dash: [Double] = []) {
        polyline([a, b], color: color, width: width, dash: dash)
    }

    /// Connected line segments through `points`, with round joins and caps.
    public func polyline(_ points: [(x: Double, y: Double)], color: CanvasColor, width: Double = 1,
                         dash: [Double] = []) {
        guard let first = points.first else { return }
        saved {
            cairo_move_to(cr, first.x, first.y)
            for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
            if points.count == 1 { cairo_line_to(cr, first.x, first.y) }  // round cap draws a dot
            setColor(color)
            cairo_set_line_width(cr, width)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            cairo_set_line_cap(cr, dash.isEmpty ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
            if !dash.isEmpty { cairo_set_dash(cr, dash, Int32(dash.count), 0) }
            cairo_stroke(cr)
        }
    }

    /// Fills the closed polygon through `points` (e.g. a band between two curves).
    public func fillPolygon(_ points: [(x: Double, y: Double)], color: CanvasColor) {
        guard points.count >= 3 else { return }
        saved {
            cairo_move_to(cr, points[0].x, points[0].y)
            for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
            cairo_close_path(cr)
            setColor(color)
            cairo_fill(cr)
        }
    }

    /// A filled disc, e.g. a data-point marker.
    public func fillCircle(center: (x: Double, y: Double), radius: Double, color: CanvasColor) {
        saved {
            cairo_new_sub_path(cr)
            cairo_arc(cr, center.x, center.y, radius, 0, 2 * Double.pi)
            setColor(color)
            cairo_fill(cr)
        }
    }

    private func roundedRectPath(x: Double, y: Double, width: Double, height: Double, radius: Double) {
        let r = max(0, min(radius, width / 2, height / 2))
        let half = Double.pi / 2
        cairo_new_sub_path(cr)
        cairo_arc(cr, x + width - r, y + r, r, -half, 0)
        cairo_arc(cr, x + width - r, y + height - r, r, 0, half)
        cairo_arc(cr, x + r, y + height - r, r, half, 2 * half)
        cairo_arc(cr, x + r, y + r, r, 2 * half, 3 * half)
        cairo_close_path(cr)
    }
}
