/// Pillow's CMYK handling for JPEG, needed to match `convert("RGB")` on
/// CMYK/YCCK JPEGs.
///
/// Pillow always reads 4-component JPEGs with raw mode "CMYK;I", i.e. it
/// assumes the Adobe convention of stored-inverted ink values and inverts
/// every sample on the way in. Its CMYK -> RGB conversion is then the naive
/// `R = (255 - K) - C * (255 - K) / 255` with an integer divide-by-255 that
/// rounds; no colour management is applied.
enum CMYKConversion {
    /// Converts TurboJPEG's CMYK output (as stored in the file, still inverted)
    /// into RGB, writing `count` pixels.
    static func invertedCMYKToRGB(_ cmyk: UnsafePointer<UInt8>, _ rgb: UnsafeMutablePointer<UInt8>, count: Int) {
        for i in 0..<count {
            let k = 255 - Int(cmyk[i * 4 + 3])
            let nk = 255 - k
            for c in 0..<3 {
                let ink = 255 - Int(cmyk[i * 4 + c])
                rgb[i * 3 + c] = UInt8(clamping: nk - mulDiv255(ink, nk))
            }
        }
    }

    /// a * b / 255 rounded, computed with shifts exactly as Pillow's MULDIV255.
    @inline(__always) static func mulDiv255(_ a: Int, _ b: Int) -> Int {
        let t = a * b + 128
        return ((t >> 8) + t) >> 8
    }
}
