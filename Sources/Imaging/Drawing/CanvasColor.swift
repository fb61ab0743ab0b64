import Foundation

/// A drawing colour: red, green, blue and opacity, each 0...1.
public struct CanvasColor: Sendable, Equatable {
    public var r: Double
    public var g: Double
    public var b: Double
    /// Opacity: 0 transparent, 1 opaque.
    public var a: Double

    public init(r: Double, g: Double, b: Double, a: Double = 1) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }

    /// From an `(r, g, b)` triple such as `ScoreColor.color(for:)` returns.
    public init(_ rgb: (r: Double, g: Double, b: Double), alpha: Double = 1) {
        self.init(r: rgb.r, g: rgb.g, b: rgb.b, a: alpha)
    }

    /// From 8-bit components, e.g. `CanvasColor(rgb8: 31, 119, 180)`.
    public init(rgb8 r: UInt8, _ g: UInt8, _ b: UInt8, alpha: Double = 1) {
        self.init(r: Double(r) / 255, g: Double(g) / 255, b: Double(b) / 255, a: alpha)
    }

    /// The same colour with another opacity.
    public func withAlpha(_ alpha: Double) -> CanvasColor { CanvasColor(r: r, g: g, b: b, a: alpha) }

    /// WCAG relative luminance (sRGB decoded to linear light), 0 black ... 1 white.
    public var luminance: Double {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : Foundation.pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// Black or white, whichever contrasts more with this (opaque) colour.
    public var readableTextColor: CanvasColor {
        // WCAG contrast ratios (L1 + 0.05) / (L2 + 0.05) against white and black.
        let l = luminance
        return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? .white : .black
    }

    public static let white = CanvasColor(r: 1, g: 1, b: 1)
    public static let black = CanvasColor(r: 0, g: 0, b: 0)
    public static let grey = CanvasColor(r: 0.5, g: 0.5, b: 0.5)
    public static let lightGrey = CanvasColor(r: 0.88, g: 0.88, b: 0.88)
    public static let darkGrey = CanvasColor(r: 0.25, g: 0.25, b: 0.25)
    /// A few distinguishable series colours (the "tab10" hues).
    public static let blue = CanvasColor(rgb8: 31, 119, 180)
    public static let orange = CanvasColor(rgb8: 255, 127, 14)
    public static let green = CanvasColor(rgb8: 44, 160, 44)
    public static let red = CanvasColor(rgb8: 214, 39, 40)
    public static let purple = CanvasColor(rgb8: 148, 103, 189)
}
