import Foundation

/// Reads the zip checkpoint format `torch.save` has used by default since 1.6:
/// `<archive>/data.pkl` (the object pickle), `<archive>/data/<key>` (one raw
/// storage per entry, stored uncompressed) and `<archive>/byteorder`.
///
/// The archive structure is read by ``ZipArchive``, which checks every
/// declared offset and size against the file; entries are slices of the
/// memory-mapped file, so storages are not copied unless they need byte
/// swapping. CRCs are not checked: over hundreds of MB that would dominate
/// load time, and truncation or damage is still caught by the size checks.
enum TorchZipReader {
    static func read(_ url: URL, data: Data) throws -> CheckpointContents {
        let archive = try ZipArchive(data: data, url: url)
        let entries = archive.entries
        let budget = ExpansionBudget(fileSize: data.count)

        guard let picklePath = entries.keys.filter({ isTopLevelPickle($0) }).min(by: { ($0.count, $0) < ($1.count, $1) }),
              let pickleEntry = entries[picklePath] else {
            throw CheckpointError.notAZip(url, "zip has no <archive>/data.pkl, so it is not a torch.save checkpoint")
        }
        let prefix = String(picklePath.dropLast("data.pkl".count))
        var bigEndian = false
        if let entry = entries[prefix + "byteorder"] {
            let order = String(decoding: archive.contents(of: entry), as: UTF8.self)
            bigEndian = order.trimmingCharacters(in: .whitespacesAndNewlines) == "big"
        }

        let ids = TorchPersistentID(url: url)
        let run = try archive.contents(of: pickleEntry).withUnsafeBytes { raw in
            try PickleMachine.unpickle(raw, url: url, persistentLoad: ids.load) { StateDictSelection.select($0) }
        }
        guard let selected = run.value else { throw CheckpointError.noTensors(url) }

        var cache: [String: Data] = [:]
        let tensors = try TensorAssembly.assemble(selected, url: url, budget: budget) { storage in
            if let cached = cache[storage.key] { return cached }
            guard let entry = entries[prefix + "data/" + storage.key] else {
                throw CheckpointError.missingStorageEntry(url, prefix + "data/" + storage.key)
            }
            var bytes = archive.contents(of: entry)
            if bigEndian {
                try budget.spend(bytes.count, for: "byte-swapping storage '\(storage.key)'", url: url)
                bytes = ElementDecoding.byteSwapped(bytes, elementSize: storage.type.byteSize)
            }
            cache[storage.key] = bytes
            return bytes
        }
        return CheckpointContents(tensors: tensors, ignoredGlobals: run.ignoredGlobals)
    }

    /// `name/data.pkl` (or a bare `data.pkl`), not some nested file of the same name.
    private static func isTopLevelPickle(_ path: String) -> Bool {
        guard path.hasSuffix("data.pkl") else { return false }
        let head = path.dropLast("data.pkl".count)
        return head.isEmpty || (head.hasSuffix("/") && head.dropLast().firstIndex(of: "/") == nil)
    }
}
