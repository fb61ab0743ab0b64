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

    static func read(_ url: URL, data: Data) throws -> TensorDict {
        let ids = TorchPersistentID(url: url)
        // Parse the pickles and find where each storage's bytes are.
        let (root, ranges, bigEndian) = try data.withUnsafeBytes { raw -> (PickleValue, [String: Range<Int>], Bool) in
            func next(_ start: Int, _ load: @escaping PickleMachine.PersistentLoad = { _ in .none }) throws -> (PickleValue, Int) {
                var machine = PickleMachine(bytes: raw, start: start, url: url, persistentLoad: load)
                let result = try machine.run()
                return (result.value, result.end)
            }
            let (magicValue, afterMagic) = try next(0)
            guard case let .bigInt(bytes) = magicValue, bytes == magic else {
                throw CheckpointError.unrecognizedFormat(url)  // a pickle, but not a torch checkpoint
            }
            let (_, afterProtocol) = try next(afterMagic)
            let (sysInfo, afterSysInfo) = try next(afterProtocol)
            let littleEndian: Bool
            if case let .bool(flag)? = sysInfo.mapping?["little_endian"] { littleEndian = flag } else { littleEndian = true }
            let (root, afterObject) = try next(afterSysInfo, ids.load)
            let (keyList, afterKeys) = try next(afterObject)
            guard let keys = keyList.sequence?.compactMap(\.stringValue) else {
                throw CheckpointError.malformedPickle(url, "storage key list is not a list of strings", offset: afterObject)
            }

            var ranges: [String: Range<Int>] = [:]
            var offset = afterKeys
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
            return (root, ranges, !littleEndian)
        }

        guard let selected = StateDictSelection.select(root) else { throw CheckpointError.noTensors(url) }
        var cache: [String: Data] = [:]
        return try TensorAssembly.assemble(selected, url: url) { storage in
            guard let range = ranges[storage.key] else { throw CheckpointError.missingStorageEntry(url, storage.key) }
            if !bigEndian { return data[range] }  // a slice shares the mapped file, no copy
            if let cached = cache[storage.key] { return cached }
            let swapped = ElementDecoding.byteSwapped(data[range], elementSize: storage.type.byteSize)
            cache[storage.key] = swapped
            return swapped
        }
    }
}
