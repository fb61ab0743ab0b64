/// ImageNet-C's `plasma_fractal`: a diamond-square height map of side
/// `mapSize` (a power of two), wrapping at the borders, normalised to 0...1.
///
/// At each step (step size s from mapSize down to 2): square centres get the
/// mean of their 4 corners, diamond centres the mean of their 4 neighbours,
/// each plus `wibble * U(-wibble, wibble)` (the reference multiplies by
/// `wibble` twice, so the noise scale is wibble^2), then wibble /= decay.
/// Random values are drawn in the reference's order (squares, then the
/// row-offset diamonds, then the column-offset diamonds, each row-major).
enum PlasmaFractal {
    static func make(mapSize n: Int, wibbleDecay: Double, rng: inout SeededGenerator) -> [Double] {
        make(mapSize: n, wibbleDecay: wibbleDecay, unit: { rng.unit() })
    }

    /// The same with an explicit source of uniform 0..<1 values (tests fix it to compare bit for bit).
    static func make(mapSize n: Int, wibbleDecay: Double, unit: () -> Double) -> [Double] {
        func draw(_ w: Double) -> Double { -w + (w - -w) * unit() }
        precondition(n > 0 && n & (n - 1) == 0, "map size must be a power of two")
        var m = [Double](repeating: 0, count: n * n)
        var step = n
        var wibble = 100.0
        while step >= 2 {
            let half = step / 2, cells = n / step
            @inline(__always) func at(_ y: Int, _ x: Int) -> Double { m[(y % n) * n + (x % n)] }
            // Squares: centre (i*s + s/2, j*s + s/2) from corners (i, j), (i+1, j), (i, j+1), (i+1, j+1).
            for i in 0..<cells {
                for j in 0..<cells {
                    let y = i * step, x = j * step
                    let sum = (at(y, x) + at(y + step, x)) + (at(y, x + step) + at(y + step, x + step))
                    m[(y + half) * n + x + half] = sum / 4 + wibble * draw(wibble)
                }
            }
            // Diamonds on the corner rows: (i*s, j*s + s/2) from the square centres above and below
            // and the corners left and right.
            for i in 0..<cells {
                for j in 0..<cells {
                    let y = i * step, x = j * step
                    let dr = at(y + half, x + half) + at((y - half + n) % n, x + half)
                    let ul = at(y, x) + at(y, x + step)
                    m[y * n + x + half] = (dr + ul) / 4 + wibble * draw(wibble)
                }
            }
            // Diamonds on the corner columns: (i*s + s/2, j*s).
            for i in 0..<cells {
                for j in 0..<cells {
                    let y = i * step, x = j * step
                    let dr = at(y + half, x + half) + at(y + half, (x - half + n) % n)
                    let ul = at(y, x) + at(y + step, x)
                    m[(y + half) * n + x] = (dr + ul) / 4 + wibble * draw(wibble)
                }
            }
            step /= 2
            wibble /= wibbleDecay
        }
        let lo = m.min()!
        for i in m.indices { m[i] -= lo }
        let hi = m.max()!
        return hi > 0 ? m.map { $0 / hi } : m
    }
}
