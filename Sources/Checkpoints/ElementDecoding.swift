import Foundation

/// Turns raw little-endian element bytes into Float32 values.
///
/// All readers funnel through here so that every format gets the same
/// conversions and the same fast paths. Pointers are read with
/// `loadUnaligned` because storages inside zip entries and legacy files carry
/// no alignment guarantee.
enum ElementDecoding {
    /// Converts `count` consecutive elements of `type` starting at `source`.
    static func convert(_ source: UnsafeRawPointer, count: Int, type: StorageType, into out: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        let raw = UnsafeRawBufferPointer(start: source, count: count * type.byteSize)
        switch type {
        case .float32:
            // Bulk byte copy: the bytes already are Float32 (little-endian host).
            UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: count * 4)
        case .float16:
            for i in 0..<count { out[i] = HalfPrecision.float(fromHalf: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)) }
        case .bfloat16:
            for i in 0..<count { out[i] = HalfPrecision.float(fromBFloat16: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)) }
        case .float64:
            for i in 0..<count { out[i] = Float(raw.loadUnaligned(fromByteOffset: i * 8, as: Double.self)) }
        case .int64:
            for i in 0..<count { out[i] = Float(raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)) }
        case .int32:
            for i in 0..<count { out[i] = Float(raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)) }
        case .int16:
            for i in 0..<count { out[i] = Float(raw.loadUnaligned(fromByteOffset: i * 2, as: Int16.self)) }
        case .int8:
            for i in 0..<count { out[i] = Float(raw.load(fromByteOffset: i, as: Int8.self)) }
        case .uint8:
            for i in 0..<count { out[i] = Float(raw[i]) }
        case .bool:
            for i in 0..<count { out[i] = raw[i] != 0 ? 1 : 0 }
        }
    }

    /// Gathers a (possibly strided) view out of `storage` into a new contiguous
    /// row-major array. `offset` and `stride` count elements, as in PyTorch.
    /// The caller must have validated that every addressed element lies inside `storage`.
    static func gather(_ storage: UnsafeRawBufferPointer, type: StorageType, offset: Int, shape: [Int], stride: [Int]) -> [Float] {
        let total = shape.reduce(1, *)
        guard total > 0, let base = storage.baseAddress else { return [] }
        let size = type.byteSize
        return [Float](unsafeUninitializedCapacity: total) { out, initialized in
            let dst = out.baseAddress!
            if isContiguous(shape: shape, stride: stride) {
                convert(base + offset * size, count: total, type: type, into: dst)
            } else {
                // Walk the index space with an odometer. When the innermost
                // dimension is dense we convert whole rows at once; otherwise one
                // element at a time (only transposed/stepped views end up here).
                let rank = shape.count
                let innerLength = shape[rank - 1]
                let innerStride = stride[rank - 1]
                var index = [Int](repeating: 0, count: rank)
                var written = 0
                var source = offset
                while written < total {
                    if innerStride == 1 {
                        convert(base + source * size, count: innerLength, type: type, into: dst + written)
                    } else {
                        for i in 0..<innerLength {
                            convert(base + (source + i * innerStride) * size, count: 1, type: type, into: dst + written + i)
                        }
                    }
                    written += innerLength
                    // Advance the outer dimensions (innermost handled above).
                    var d = rank - 2
                    while d >= 0 {
                        index[d] += 1
                        source += stride[d]
                        if index[d] < shape[d] { break }
                        source -= stride[d] * shape[d]
                        index[d] = 0
                        d -= 1
                    }
                }
            }
            initialized = total
        }
    }

    /// True when `stride` is the row-major stride of `shape` (size-1 dims ignored,
    /// since their stride is arbitrary in PyTorch).
    static func isContiguous(shape: [Int], stride: [Int]) -> Bool {
        var expected = 1
        for d in stride.indices.reversed() where shape[d] != 1 {
            if stride[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// Highest element index (relative to the storage start) addressed by a view;
    /// nil when the view is empty; -1 when the arithmetic overflows (a hostile
    /// file), which callers treat as out of range. Validates before gathering.
    static func lastElementIndex(offset: Int, shape: [Int], stride: [Int]) -> Int? {
        if shape.contains(0) { return nil }
        var last = offset
        for d in shape.indices {
            let (step, o1) = (shape[d] - 1).multipliedReportingOverflow(by: stride[d])
            let (sum, o2) = last.addingReportingOverflow(step)
            if o1 || o2 { return -1 }
            last = sum
        }
        return last
    }

    /// Reverses the bytes of every element, for files written on big-endian hosts.
    static func byteSwapped(_ data: Data, elementSize: Int) -> Data {
        guard elementSize > 1 else { return data }
        var copy = Data(data)
        copy.withUnsafeMutableBytes { buffer in
            let count = buffer.count / elementSize
            for e in 0..<count {
                let start = e * elementSize
                for k in 0..<elementSize / 2 { buffer.swapAt(start + k, start + elementSize - 1 - k) }
            }
        }
        return copy
    }
}
