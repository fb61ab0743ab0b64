import Foundation

/// RGB <-> HSV on 0...1 float64 samples, operation for operation as
/// `skimage.color.rgb2hsv` / `hsv2rgb`, so that round trips lose exactly what
/// skimage's lose.
enum HSV {
    /// skimage `rgb2hsv` for one pixel. Ties for the maximum resolve like its
    /// successive masked assignments: blue over green over red.
    @inline(__always) static func fromRGB(_ r: Double, _ g: Double, _ b: Double) -> (h: Double, s: Double, v: Double) {
        let v = max(r, g, b)
        let delta = v - min(r, g, b)
        if delta == 0 { return (0, 0, v) }
        let s = delta / v
        var h: Double
        if b == v { h = 4.0 + (r - g) / delta }
        else if g == v { h = 2.0 + (b - r) / delta }
        else { h = (g - b) / delta }
        h = pythonMod(h / 6.0, 1.0)
        return (h, s, v)
    }

    /// skimage `hsv2rgb` for one pixel: sector `floor(h * 6) % 6` picks (v, t, p)...
    @inline(__always) static func toRGB(_ h: Double, _ s: Double, _ v: Double) -> (Double, Double, Double) {
        let hi = (h * 6).rounded(.down)
        let f = h * 6 - hi
        let p = v * (1 - s)
        let q = v * (1 - f * s)
        let t = v * (1 - (1 - f) * s)
        switch Int(hi) % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }

    /// Python/NumPy float `%`: the result takes the sign of the divisor.
    @inline(__always) static func pythonMod(_ a: Double, _ b: Double) -> Double {
        var m = fmod(a, b)
        if m != 0 && ((m < 0) != (b < 0)) { m += b }
        return m
    }
}
