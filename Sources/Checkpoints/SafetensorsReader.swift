import Foundation

/// Reads safetensors files (F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL).
public enum SafetensorsReader {
    /// All tensors, in the order their data is stored, converted to Float32.
    /// A leading `module.` is stripped from names as for PyTorch checkpoints.
    public static func read(_ url: URL) throws -> TensorDict {
        try read(url, data: FileBytes.load(url))
    }

    /// The string map under `__metadata__` (empty when absent).
    public static func readMetadata(_ url: URL) throws -> [String: String] {
        try SafetensorsHeader(data: FileBytes.load(url), url: url, parseTensors: false).metadata
    }

    static func read(_ url: URL, data: Data) throws -> TensorDict {
        let header = try SafetensorsHeader(data: data, url: url)
        let names = StateDictSelection.strippingModulePrefix(header.entries.map(\.name))
        var result = TensorDict()
        data.withUnsafeBytes { raw in
            for (name, entry) in zip(names, header.entries) {
                let bytes = UnsafeRawBufferPointer(rebasing: raw[header.dataStart + entry.begin..<header.dataStart + entry.end])
                let rowMajor = contiguousStrides(entry.shape)
                let values = ElementDecoding.gather(bytes, type: entry.type, offset: 0, shape: entry.shape, stride: rowMajor)
                result.set(name, StoredTensor(shape: entry.shape, sourceType: entry.type, values: values))
            }
        }
        return result
    }

    private static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for d in shape.indices.reversed() { strides[d] = step; step *= shape[d] }
        return strides
    }
}
