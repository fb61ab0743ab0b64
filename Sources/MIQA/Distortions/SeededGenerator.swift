import Foundation

/// The deterministic random source of every random distortion.
///
/// xoshiro256** seeded through SplitMix64 (the seeding its authors recommend),
/// so any `UInt64` seed, including 0, gives a well-mixed state.
///
/// Our streams are not NumPy's (`np.random.seed` + Mersenne Twister + its
/// normal sampler): the same seed does not give the same noise as the Python
/// reference, so random distortions are statistically equivalent to
/// imagecorruptions' (same distributions, same parameters), not bitwise equal.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole output is a function of `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    @inline(__always) private func rotl(_ v: UInt64, _ k: UInt64) -> UInt64 { (v << k) | (v >> (64 - k)) }

    /// Uniform in [0, 1) with 53 random bits, like NumPy's `random_sample`.
    @inline(__always) public mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in [low, high), the distribution of `np.random.uniform(low, high)`.
    @inline(__always) public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// Uniform integer in `low ..< high`, the distribution of `np.random.randint(low, high)`.
    /// Lemire's multiply-shift with rejection keeps it exactly uniform.
    @inline(__always) public mutating func integer(_ low: Int, _ high: Int) -> Int {
        precondition(high > low, "empty integer range")
        let span = UInt64(high - low)
        var m = next().multipliedFullWidth(by: span)
        if m.low < span {
            let threshold = (0 &- span) % span
            while m.low < threshold { m = next().multipliedFullWidth(by: span) }
        }
        return low + Int(m.high)
    }

    /// Standard normal sample (Marsaglia's polar method; the spare value is
    /// dropped so that each call consumes a self-contained amount of state).
    @inline(__always) public mutating func normal() -> Double {
        while true {
            let u = 2 * unit() - 1, v = 2 * unit() - 1
            let r = u * u + v * v
            if r > 0 && r < 1 { return u * (-2 * log(r) / r).squareRoot() }
        }
    }
}
