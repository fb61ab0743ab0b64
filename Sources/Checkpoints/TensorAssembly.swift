import Foundation

/// Turns tensor descriptions plus storage bytes into ``StoredTensor``s.
///
/// Shared by the zip and legacy readers: both end with a list of strided views
/// into storages and only differ in where the storage bytes live.
enum TensorAssembly {
    /// Builds the final dictionary. `storageBytes` returns the whole root storage
    /// (little-endian) for a ``StorageRef``; it is called once per tensor, so
    /// implementations should cache.
    static func assemble(_ selected: [(name: String, tensor: TensorRef)], url: URL,
                         storageBytes: (StorageRef) throws -> Data) throws -> TensorDict {
        let names = StateDictSelection.strippingModulePrefix(selected.map(\.name))
        var result = TensorDict()
        for (name, entry) in zip(names, selected) {
            let data = try storageBytes(entry.tensor.storage)
            result.set(name, try materialize(entry.tensor, name: entry.name, from: data, url: url))
        }
        return result
    }

    /// Validates the view against its storage and gathers it contiguously.
    static func materialize(_ t: TensorRef, name: String, from data: Data, url: URL) throws -> StoredTensor {
        let storage = t.storage
        let (viewBytes, overflow) = storage.elementCount.multipliedReportingOverflow(by: storage.type.byteSize)
        guard !overflow, storage.byteOffset >= 0, viewBytes <= data.count - storage.byteOffset else {
            throw CheckpointError.truncated(url, "storage '\(storage.key)' needs \(storage.elementCount) elements after byte \(storage.byteOffset), has \(data.count) bytes")
        }
        guard t.offset >= 0, t.shape.allSatisfy({ $0 >= 0 }), t.stride.allSatisfy({ $0 >= 0 }) else {
            throw CheckpointError.badTensor(url, name, "negative offset, size or stride")
        }
        let available = viewBytes / t.type.byteSize
        if let last = ElementDecoding.lastElementIndex(offset: t.offset, shape: t.shape, stride: t.stride), last < 0 || last >= available {
            throw CheckpointError.badTensor(url, name, "view reaches element \(last) of a \(available)-element storage")
        }
        // Stride-0 (expanded) views may legitimately hold more elements than
        // their storage, but a hostile file must not make us allocate terabytes.
        var total = 1
        for d in t.shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: d)
            guard !overflow, product <= max(available, 1 << 28) else {
                throw CheckpointError.badTensor(url, name, "shape \(t.shape) is implausibly large for its storage")
            }
            total = product
        }
        let values = data.withUnsafeBytes { raw in
            ElementDecoding.gather(UnsafeRawBufferPointer(rebasing: raw[storage.byteOffset..<storage.byteOffset + viewBytes]),
                                   type: t.type, offset: t.offset, shape: t.shape, stride: t.stride)
        }
        return StoredTensor(shape: t.shape, sourceType: t.type, values: values)
    }
}
