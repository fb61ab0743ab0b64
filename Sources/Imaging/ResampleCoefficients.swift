/// Fixed-point filter taps for resampling one axis, computed exactly as
/// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc`, because every
/// rounding step there shows up in the output bytes.
struct ResampleCoefficients {
    /// Fixed-point fraction bits: 32 bits minus 8 for the pixel value minus 2
    /// of headroom for kernels whose partial sums exceed 1 (bicubic lobes).
    static let precisionBits: Int32 = 32 - 8 - 2

    /// Taps per output sample (stride of `weights`).
    let tapCount: Int
    /// First input index used by each output sample.
    let first: [Int]
    /// Number of input samples used by each output sample.
    let count: [Int]
    /// `outSize * tapCount` weights in units of 2^-precisionBits.
    let weights: [Int32]

    /// Coefficients of the outputs in `outputs` only (all of `0..<outSize` when nil):
    /// each output's taps depend on its own index and the full sizes alone, so a
    /// window of a huge resize costs only the window.
    init(inSize: Int, outSize: Int, filter: ResampleFilter, outputs: Range<Int>? = nil) {
        let range = outputs ?? 0..<outSize
        // Pillow passes the box edges as C floats and subtracts them in float
        // before widening; with the full-image box that is just inSize.
        let in0 = Double(Float(0))
        let scale = Double(Float(inSize) - Float(0)) / Double(outSize)
        // Downscaling widens the kernel by the scale factor: this is the antialiasing.
        let filterScale = max(scale, 1.0)
        let support = filter.support * filterScale
        let taps = Int(support.rounded(.up)) * 2 + 1
        let invScale = 1.0 / filterScale

        var first = [Int](repeating: 0, count: range.count)
        var count = [Int](repeating: 0, count: range.count)
        var weights = [Int32](repeating: 0, count: range.count * taps)
        var k = [Double](repeating: 0, count: taps)
        let one = Double(Int32(1) << Self.precisionBits)

        for (slot, xx) in range.enumerated() {
            let center = in0 + (Double(xx) + 0.5) * scale
            // C's (int) cast truncates toward zero; Int(_:) does the same.
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inSize) - xmin
            var sum = 0.0
            for x in 0..<xmax {
                let w = filter.weight((Double(x + xmin) - center + 0.5) * invScale)
                k[x] = w
                sum += w
            }
            for x in 0..<xmax {
                let w = sum != 0.0 ? k[x] / sum : k[x]
                // Round half away from zero, then truncate, as normalize_coeffs_8bpc.
                weights[slot * taps + x] = w < 0 ? Int32(-0.5 + w * one) : Int32(0.5 + w * one)
            }
            first[slot] = xmin
            count[slot] = max(xmax, 0)
        }
        self.tapCount = taps
        self.first = first
        self.count = count
        self.weights = weights
    }
}
