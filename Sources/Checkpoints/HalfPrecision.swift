/// Bit-exact conversions between Float32 and the two 16-bit float formats.
///
/// Done on bit patterns rather than with `Float16` because `Float16` is not
/// available on every platform Swift targets (Intel macOS), and bfloat16 has no
/// Swift type at all. The loops are branch-light so the optimizer can vectorise.
public enum HalfPrecision {
    /// IEEE binary16 bits -> Float32. Exact for every input, including
    /// subnormals, ±inf and NaN (payload kept, so NaN stays NaN).
    @inline(__always)
    public static func float(fromHalf h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let magnitude = UInt32(h & 0x7fff) << 13
        // Shifting puts the half exponent (bias 15) into the float exponent
        // field; multiplying by 2^112 re-biases it to 127. Because this is a real
        // float multiply, half subnormals (which land as float subnormals) come
        // out normalised and exact.
        var bits = (Float(bitPattern: magnitude) * 0x1p112).bitPattern
        if h & 0x7c00 == 0x7c00 { bits = magnitude | 0x7f80_0000 }  // inf / NaN: max exponent
        return Float(bitPattern: bits | sign)
    }

    /// Float32 -> IEEE binary16 bits, rounding to nearest, ties to even.
    /// Overflow gives ±inf, tiny values become subnormals or ±0, NaN stays NaN.
    @inline(__always)
    public static func half(from f: Float) -> UInt16 {
        let x = f.bitPattern
        let sign = UInt16(truncatingIfNeeded: (x >> 16) & 0x8000)
        let a = x & 0x7fff_ffff
        if a >= 0x7f80_0000 {  // inf or NaN; force a quiet NaN bit so NaN cannot turn into inf
            return sign | 0x7c00 | (a > 0x7f80_0000 ? 0x0200 | UInt16(truncatingIfNeeded: (a >> 13) & 0x3ff) : 0)
        }
        if a >= 0x477f_f000 { return sign | 0x7c00 }  // >= 65520 rounds to inf
        if a < 0x3880_0000 {
            // Below the smallest normal half (2^-14). Adding 0.5 makes the FPU
            // round the value to a multiple of 2^-24 (the half subnormal step)
            // with ties-to-even; the low mantissa bits are then the half bits.
            let rounded = (Float(bitPattern: a) + 0.5).bitPattern &- Float(0.5).bitPattern
            return sign | UInt16(truncatingIfNeeded: rounded)
        }
        // Normal range: re-bias exponent (127 -> 15) and round the 13 dropped
        // bits to nearest even; a carry correctly bumps the exponent.
        let odd = (a >> 13) & 1
        let rebased = a &- (112 << 23) &+ 0xfff &+ odd
        return sign | UInt16(truncatingIfNeeded: rebased >> 13)
    }

    /// bfloat16 bits -> Float32 (exact: bfloat16 is the top half of a Float32).
    @inline(__always)
    public static func float(fromBFloat16 b: UInt16) -> Float {
        Float(bitPattern: UInt32(b) << 16)
    }

    /// Float32 -> bfloat16 bits, rounding to nearest, ties to even; NaN stays NaN.
    @inline(__always)
    public static func bfloat16(from f: Float) -> UInt16 {
        let x = f.bitPattern
        if x & 0x7fff_ffff > 0x7f80_0000 { return UInt16(truncatingIfNeeded: x >> 16) | 0x0040 }
        let rounded = x &+ 0x7fff &+ ((x >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    /// Converts a buffer of binary16 bits to Float32.
    public static func floats(fromHalf source: UnsafeBufferPointer<UInt16>, into target: UnsafeMutableBufferPointer<Float>) {
        precondition(target.count >= source.count)
        for i in 0..<source.count { target[i] = float(fromHalf: source[i]) }
    }

    /// Converts Float32 values to binary16 bits.
    public static func halves(from source: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<UInt16>) {
        precondition(target.count >= source.count)
        for i in 0..<source.count { target[i] = half(from: source[i]) }
    }

    /// Converts Float32 values to bfloat16 bits.
    public static func bfloat16s(from source: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<UInt16>) {
        precondition(target.count >= source.count)
        for i in 0..<source.count { target[i] = bfloat16(from: source[i]) }
    }
}
