import Foundation

/// Reads the pre-1.6 checkpoint format (still written with
/// `_use_new_zipfile_serialization=False`): a sequence of pickles followed by raw storages.
///
///     pickle: magic number 0x1950a86a20f9469cfc6c
///     pickle: protocol version (1001)
///     pickle: sys info ({'little_endian': ..., 'type_sizes': ...})
///     pickle: the saved object, storages as persistent ids
///     pickle: list of storage keys, in the order their bytes follow
///     per key: int64 element count, then count * element size bytes
enum TorchLegacyReader {
    /// The magic number as the little-endian bytes of its LONG1 encoding.
    static let magic: [UInt8] = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]

    static func read(_ url: URL, data: Data) throws -> CheckpointContents {
        let ids = TorchPersistentID(url: url)
        // Parse the pickles and find where each storage's bytes are. Each
        // pickle's values are dismantled as soon as what is needed is copied out.
        let parsed = try data.withUnsafeBytes { raw -> (selected: [(name: String, tensor: TensorRef)]?, ranges: [String: Range<Int>], bigEndian: Bool, ignored: [String]) in
            let magicRun = try PickleMachine.unpickle(raw, url: url) { value -> Bool in
                if case let .bigInt(bytes) = value { return bytes == magic }
                return false
            }
            guard magicRun.value else {
                throw CheckpointError.unrecognizedFormat(url)  // a pickle, but not a torch checkpoint
            }
            let protocolRun = try PickleMachine.unpickle(raw, start: magicRun.end, url: url) { _ in () }
            let sysInfoRun = try PickleMachine.unpickle(raw, start: protocolRun.end, url: url) { value -> Bool in
                if case let .bool(flag)? = value.mapping?["little_endian"] { return flag }
                return true
            }
            let objectRun = try PickleMachine.unpickle(raw, start: sysInfoRun.end, url: url, persistentLoad: ids.load) {
                StateDictSelection.select($0)
            }
            let keysRun = try PickleMachine.unpickle(raw, start: objectRun.end, url: url) { $0.sequence?.compactMap(\.stringValue) }
            guard let keys = keysRun.value else {
                throw CheckpointError.malformedPickle(url, "storage key list is not a list of strings", offset: objectRun.end)
            }

            var ranges: [String: Range<Int>] = [:]
            var offset = keysRun.end
            for key in keys {
                guard let storage = ids.rootStorages[key] else { throw CheckpointError.missingStorageEntry(url, key) }
                guard offset + 8 <= raw.count else { throw CheckpointError.truncated(url, "storage '\(key)' header at offset \(offset)") }
                let count = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
                let (bytes, overflow) = Int(clamping: count).multipliedReportingOverflow(by: storage.type.byteSize)
                guard !overflow, bytes <= raw.count - offset - 8 else {
                    throw CheckpointError.truncated(url, "storage '\(key)' needs \(count) elements at offset \(offset + 8)")
                }
                ranges[key] = offset + 8..<offset + 8 + bytes
                offset += 8 + bytes
            }
            let ignored = Set(magicRun.ignoredGlobals + protocolRun.ignoredGlobals + sysInfoRun.ignoredGlobals
                              + objectRun.ignoredGlobals + keysRun.ignoredGlobals)
            return (objectRun.value, ranges, !sysInfoRun.value, ignored.sorted())
        }

        guard let selected = parsed.selected else { throw CheckpointError.noTensors(url) }
        let (ranges, bigEndian) = (parsed.ranges, parsed.bigEndian)
        var cache: [String: Data] = [:]
        let budget = ExpansionBudget(fileSize: data.count)
        let tensors = try TensorAssembly.assemble(selected, url: url, budget: budget) { storage in
            guard let range = ranges[storage.key] else { throw CheckpointError.missingStorageEntry(url, storage.key) }
            if !bigEndian { return data[range] }  // a slice shares the mapped file, no copy
            if let cached = cache[storage.key] { return cached }
            try budget.spend(range.count, for: "byte-swapping storage '\(storage.key)'", url: url)
            let swapped = ElementDecoding.byteSwapped(data[range], elementSize: storage.type.byteSize)
            cache[storage.key] = swapped
            return swapped
        }
        return CheckpointContents(tensors: tensors, ignoredGlobals: parsed.ignored)
    }
}
