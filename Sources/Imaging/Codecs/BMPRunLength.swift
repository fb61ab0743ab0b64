/// BMP run-length decoding (RLE8 and RLE4) into one palette index per pixel,
/// rows in file order, following Pillow's BmpRleDecoder step for step:
/// runs are clipped at the row end, end-of-line pads the row with index 0,
/// deltas skip pixels (index 0), absolute runs are word aligned relative to
/// the start of the file.
enum BMPRunLength {
    static func decode(_ b: [UInt8], from start: Int, width: Int, height: Int, fourBit: Bool,
                       name: String) throws -> [UInt8] {
        let total = width * height
        var out = [UInt8](repeating: 0, count: total)
        var n = 0      // pixels written
        var x = 0      // column, as Pillow tracks it
        var p = start  // read position
        var ranOut = false
        decoding: while n < total {
            guard p + 2 <= b.count else { ranOut = true; break }
            let count = Int(b[p]), value = b[p + 1]
            p += 2
            if count > 0 {
                let run = x + count > width ? max(0, width - x) : count
                for i in 0..<min(run, total - n) {
                    out[n + i] = fourBit ? (i % 2 == 0 ? value >> 4 : value & 0x0F) : value
                }
                n += min(run, total - n)
                x += run
                continue
            }
            switch value {
            case 0:  // end of line
                if n % width != 0 { n += width - n % width }
                x = 0
            case 1:  // end of bitmap
                break decoding
            case 2:  // delta: right, down
                guard p + 2 <= b.count else { ranOut = true; break decoding }
                n += min(total - n, Int(b[p]) + Int(b[p + 1]) * width)
                p += 2
                x = n % width
            default:  // absolute run of `value` literal pixels
                let wanted = min(total - n, Int(value))
                let byteCount = fourBit ? (wanted + 1) / 2 : wanted
                let available = min(byteCount, b.count - p)
                for i in 0..<available {
                    if fourBit {
                        out[n] = b[p + i] >> 4; n += 1
                        if i * 2 + 1 < wanted { out[n] = b[p + i] & 0x0F; n += 1 }
                    } else {
                        out[n] = b[p + i]; n += 1
                    }
                }
                p += available
                if available < byteCount { ranOut = true; break decoding }
                if n == total { break decoding }
                x += Int(value)
                if p % 2 != 0 { p += 1 }
            }
        }
        if n < total {
            if ranOut { throw ImageError.truncated(name: name) }
            throw ImageError.corrupt(name: name, reason: "not enough image data")
        }
        return out
    }
}
