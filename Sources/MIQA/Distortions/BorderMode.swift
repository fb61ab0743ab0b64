/// How filters read outside the image, named as in SciPy's `ndimage`.
enum BorderMode {
    /// Repeat the edge sample (`aaa|abcd|ddd`), SciPy "nearest", OpenCV BORDER_REPLICATE.
    case nearest
    /// Mirror without repeating the edge (`dcb|abcd|cba`), SciPy "mirror", OpenCV BORDER_REFLECT_101.
    case mirror
    /// Mirror repeating the edge (`cba|abcd|dcb`), SciPy "reflect", OpenCV BORDER_REFLECT.
    case reflect

    /// The in-range index that position `i` reads in a line of `n` samples;
    /// loops so that kernels longer than the line still fold back correctly.
    @inline(__always) func index(_ i: Int, _ n: Int) -> Int {
        if i >= 0 && i < n { return i }
        switch self {
        case .nearest:
            return i < 0 ? 0 : n - 1
        case .mirror:
            if n == 1 { return 0 }
            let period = 2 * (n - 1)
            var j = i % period
            if j < 0 { j += period }
            return j < n ? j : period - j
        case .reflect:
            let period = 2 * n
            var j = i % period
            if j < 0 { j += period }
            return j < n ? j : period - 1 - j
        }
    }
}
