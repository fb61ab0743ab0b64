import Foundation

/// Turns tensor descriptions plus storage bytes into ``StoredTensor``s.
///
/// Shared by the zip and legacy readers: both end with a list of strided views
/// into storages and only differ in where the storage bytes live.
///
/// Every view is checked against the storage its persistent id declares, and
/// the total memory all views will take is charged to the file's
/// ``ExpansionBudget``, before any storage is read or any value allocated.
enum TensorAssembly {
    /// Builds the final dictionary. `storageBytes` returns the whole root storage
    /// (little-endian) for a ``StorageRef``; it is called once per tensor, so
    /// implementations should cache.
    static func assemble(_ selected: [(name: String, tensor: TensorRef)], url: URL, budget: ExpansionBudget,
                         storageBytes: (StorageRef) throws -> Data) throws -> TensorDict {
        // Saturating sums: an overflow simply means "over any budget".
        var totalValues = 0, totalBytes = 0
        for entry in selected {
            let count = try validate(entry.tensor, name: entry.name, url: url)
            let (bytes, o1) = count.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
            let (sum, o2) = totalBytes.addingReportingOverflow(bytes)
            totalBytes = o1 || o2 ? Int.max : sum
            totalValues = totalValues.addingReportingOverflow(count).overflow ? Int.max : totalValues + count
        }
        try budget.spend(totalBytes, for: "its \(selected.count) tensor\(selected.count == 1 ? "" : "s") (\(totalValues) values)", url: url)

        let names = StateDictSelection.strippingModulePrefix(selected.map(\.name))
        var result = TensorDict()
        for (name, entry) in zip(names, selected) {
            let data = try storageBytes(entry.tensor.storage)
            result.set(name, try materialize(entry.tensor, name: entry.name, from: data, url: url))
        }
        return result
    }

    /// Checks a view against its declared storage; returns its element count.
    /// Stride-0 and overlapping views are fine as long as every element they
    /// address lies inside the storage.
    static func validate(_ t: TensorRef, name: String, url: URL) throws -> Int {
        let storage = t.storage
        guard t.offset >= 0, t.shape.allSatisfy({ $0 >= 0 }), t.stride.allSatisfy({ $0 >= 0 }) else {
            throw CheckpointError.badTensor(url, name, "negative offset, size or stride")
        }
        let (viewBytes, overflow) = storage.elementCount.multipliedReportingOverflow(by: storage.type.byteSize)
        guard !overflow, storage.byteOffset >= 0, !storage.byteOffset.addingReportingOverflow(viewBytes).overflow else {
            throw CheckpointError.badTensor(url, name, "storage '\(storage.key)' declares an impossible size")
        }
        let available = viewBytes / t.type.byteSize
        if let last = ElementDecoding.lastElementIndex(offset: t.offset, shape: t.shape, stride: t.stride), last < 0 || last >= available {
            throw CheckpointError.badTensor(url, name, "view reaches element \(last) of a \(available)-element storage")
        }
        var total = 1
        for d in t.shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: d)
            guard !overflow else { throw CheckpointError.badTensor(url, name, "shape \(t.shape) has more elements than can be counted") }
            total = product
        }
        return total
    }

    /// Gathers a validated view contiguously, after checking that the storage
    /// really holds the bytes its persistent id declared.
    static func materialize(_ t: TensorRef, name: String, from data: Data, url: URL) throws -> StoredTensor {
        let storage = t.storage
        let viewBytes = storage.elementCount * storage.type.byteSize  // no overflow: validated
        guard viewBytes <= data.count - storage.byteOffset else {
            throw CheckpointError.truncated(url, "storage '\(storage.key)' needs \(storage.elementCount) elements after byte \(storage.byteOffset), has \(data.count) bytes")
        }
        let values = data.withUnsafeBytes { raw in
            ElementDecoding.gather(UnsafeRawBufferPointer(rebasing: raw[storage.byteOffset..<storage.byteOffset + viewBytes]),
                                   type: t.type, offset: t.offset, shape: t.shape, stride: t.stride)
        }
        return StoredTensor(shape: t.shape, sourceType: t.type, values: values)
    }
}
