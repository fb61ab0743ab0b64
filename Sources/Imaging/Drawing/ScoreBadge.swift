import Foundation

/// Draws a score label ("Quality 0.734") onto an image: a rounded badge in
/// the top-left corner, filled with the score's `ScoreColor`, with black or
/// white text, whichever reads better on that fill.
public enum ScoreBadge {
    /// Position and size of the badge and its text, in pixels.
    struct Layout {
        var x, y, width, height, radius, fontSize: Double
    }

    /// The text shown for a score: three decimals, "n/a" for NaN.
    static func caption(score: Double, label: String) -> String {
        let value = score.isNaN ? "n/a" : String(format: "%.3f", score)
        return label.isEmpty ? value : "\(label) \(value)"
    }

    /// Sizes the badge from the image: the font is about 3.2% of the longer
    /// side (at least 12 px, so small images stay readable) but shrinks until
    /// the badge fits in 92% of the image width.
    static func layout(for caption: String, imageWidth: Int, imageHeight: Int, measure: (Double) -> Double) -> Layout {
        let longer = Double(max(imageWidth, imageHeight))
        var size = max(12, 0.032 * longer)
        // Badge width = text + 2 x 0.55 em padding; margin 0.5 em on the left.
        func badgeWidth(_ s: Double) -> Double { measure(s) + 1.1 * s }
        let available = 0.92 * Double(imageWidth)
        if badgeWidth(size) + 0.5 * size > available {
            size *= available / (badgeWidth(size) + 0.5 * size)  // widths scale linearly (hinting is off)
        }
        let margin = 0.5 * size
        let height = 1.7 * size
        return Layout(x: margin, y: margin, width: badgeWidth(size), height: height, radius: 0.35 * size, fontSize: size)
    }

    /// A copy of `image` with the badge drawn on it.
    public static func annotate(_ image: RGBImage, score: Double, label: String = "Quality") -> RGBImage {
        let canvas = Canvas(image: image)
        let text = caption(score: score, label: label)
        let l = layout(for: text, imageWidth: image.width, imageHeight: image.height) {
            canvas.measureText(text, size: $0, weight: .bold).width
        }
        let fill = ScoreColor.canvasColor(for: score)
        // A faint dark rim keeps a yellow badge distinct on a bright photo.
        canvas.fillRoundedRect(x: l.x, y: l.y, width: l.width, height: l.height, radius: l.radius, color: fill)
        canvas.strokeRoundedRect(x: l.x, y: l.y, width: l.width, height: l.height, radius: l.radius,
                                 color: CanvasColor.black.withAlpha(0.35), lineWidth: max(1, l.fontSize / 16))
        canvas.text(text, at: (l.x + l.width / 2, l.y + l.height / 2), size: l.fontSize, weight: .bold,
                    color: fill.readableTextColor, align: .center, baseline: .middle)
        return canvas.rgbImage()
    }
}
