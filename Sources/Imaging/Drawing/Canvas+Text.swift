import CCairo

/// Font weight for `Canvas.text`.
public enum TextWeight: Sendable {
    case regular, bold
}

/// Where the anchor point sits horizontally in the text.
public enum TextAlign: Sendable {
    case left, center, right
}

/// Where the anchor point sits vertically: on the baseline, or at the top,
/// middle or bottom of the font's line box (ascent + descent), which does not
/// depend on the letters drawn, so labels in a row line up.
public enum TextBaseline: Sendable {
    case baseline, top, middle, bottom
}

/// Size of a piece of text at a given font size, in pixels.
public struct TextMetrics: Sendable, Equatable {
    /// Horizontal advance: how far the pen moves.
    public var width: Double
    /// Font ascent above the baseline (same for every string at this size).
    public var ascent: Double
    /// Font descent below the baseline.
    public var descent: Double
    /// Line box height, `ascent + descent`.
    public var height: Double { ascent + descent }
}

/// Text in DejaVu Sans through Cairo's "toy" font API (fontconfig finds the
/// font from Debian's fonts-dejavu-core).
extension Canvas {
    /// The font family every canvas uses.
    public static let fontFamily = "DejaVu Sans"

    /// Hinting is switched off so that text measures the same at every size
    /// and position (widths scale linearly), which keeps layouts predictable.
    func configureText() {
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
    }

    private func selectFont(size: Double, weight: TextWeight) {
        cairo_select_font_face(cr, Canvas.fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               weight == .bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    /// The size `text` would take at font size `size` (pixels per em).
    public func measureText(_ text: String, size: Double, weight: TextWeight = .regular) -> TextMetrics {
        saved {
            selectFont(size: size, weight: weight)
            var extents = cairo_text_extents_t()
            cairo_text_extents(cr, text, &extents)
            var font = cairo_font_extents_t()
            cairo_font_extents(cr, &font)
            return TextMetrics(width: extents.x_advance, ascent: font.ascent, descent: font.descent)
        }
    }

    /// Draws one line of text anchored at `point`.
    /// - Parameters:
    ///   - size: font size in pixels (em height).
    ///   - align: which part of the text lies at `point.x`.
    ///   - baseline: which part of the line box lies at `point.y`.
    /// - Returns: the box the line occupies (advance width x line height).
    @discardableResult
    public func text(_ text: String, at point: (x: Double, y: Double), size: Double, weight: TextWeight = .regular,
                     color: CanvasColor = .black, align: TextAlign = .left,
                     baseline: TextBaseline = .baseline) -> (x: Double, y: Double, width: Double, height: Double) {
        let m = measureText(text, size: size, weight: weight)
        let x: Double
        switch align {
        case .left: x = point.x
        case .center: x = point.x - m.width / 2
        case .right: x = point.x - m.width
        }
        let y: Double
        switch baseline {
        case .baseline: y = point.y
        case .top: y = point.y + m.ascent
        case .middle: y = point.y + (m.ascent - m.descent) / 2
        case .bottom: y = point.y - m.descent
        }
        saved {
            selectFont(size: size, weight: weight)
            setColor(color)
            cairo_move_to(cr, x, y)
            cairo_show_text(cr, text)
        }
        return (x, y - m.ascent, m.width, m.height)
    }

    /// Text turned 90 degrees counter-clockwise (reading bottom to top), centred
    /// on `center`: the usual y-axis title.
    public func verticalText(_ text: String, center: (x: Double, y: Double), size: Double,
                             weight: TextWeight = .regular, color: CanvasColor = .black) {
        let m = measureText(text, size: size, weight: weight)
        saved {
            cairo_translate(cr, center.x, center.y)
            cairo_rotate(cr, -Double.pi / 2)
            selectFont(size: size, weight: weight)
            setColor(color)
            cairo_move_to(cr, -m.width / 2, (m.ascent - m.descent) / 2)
            cairo_show_text(cr, text)
        }
    }
}
