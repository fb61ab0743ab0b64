import Foundation
import ZIPFoundation

/// Reads the zip checkpoint format `torch.save` has used by default since 1.6:
/// `<archive>/data.pkl` (the object pickle), `<archive>/data/<key>` (one raw
/// storage per entry, stored uncompressed) and `<archive>/byteorder`.
///
/// ZIPFoundation handles the zip structure (including zip64 for >4 GB files);
/// we only ask it for whole entries in one read each, skipping its CRC pass
/// because checking CRC32 over hundreds of MB would dominate load time and a
/// truncated or damaged file is still caught by the size checks.
enum TorchZipReader {
    static func read(_ url: URL, fileSize: Int) throws -> CheckpointContents {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw CheckpointError.notAZip(url, "the central directory cannot be read")
        }
        let budget = ExpansionBudget(fileSize: fileSize)
        // One pass over the central directory; `archive[path]` would rescan it per lookup.
        var entries: [String: Entry] = [:]
        for entry in archive { entries[entry.path] = entry }

        guard let picklePath = entries.keys.filter({ isTopLevelPickle($0) }).min(by: { $0.count < $1.count }),
              let pickleEntry = entries[picklePath] else {
            throw CheckpointError.notAZip(url, "zip has no <archive>/data.pkl, so it is not a torch.save checkpoint")
        }
        let prefix = String(picklePath.dropLast("data.pkl".count))
        var bigEndian = false
        if let entry = entries[prefix + "byteorder"] {
            let order = String(decoding: try contents(of: entry, in: archive, url: url, budget: budget), as: UTF8.self)
            bigEndian = order.trimmingCharacters(in: .whitespacesAndNewlines) == "big"
        }

        let pickle = try contents(of: pickleEntry, in: archive, url: url, budget: budget)
        let ids = TorchPersistentID(url: url)
        let run = try pickle.withUnsafeBytes { raw in
            try PickleMachine.unpickle(raw, url: url, persistentLoad: ids.load) { StateDictSelection.select($0) }
        }
        guard let selected = run.value else { throw CheckpointError.noTensors(url) }

        var cache: [String: Data] = [:]
        let tensors = try TensorAssembly.assemble(selected, url: url, budget: budget) { storage in
            if let cached = cache[storage.key] { return cached }
            guard let entry = entries[prefix + "data/" + storage.key] else {
                throw CheckpointError.missingStorageEntry(url, prefix + "data/" + storage.key)
            }
            // The declared storage must fit the entry before the entry is read.
            let declared = storage.byteOffset + storage.elementCount * storage.type.byteSize  // no overflow: validated
            guard declared >= 0, UInt64(declared) <= entry.uncompressedSize else {
                throw CheckpointError.truncated(url, "storage '\(storage.key)' declares \(declared) bytes, zip entry '\(entry.path)' holds \(entry.uncompressedSize)")
            }
            var data = try contents(of: entry, in: archive, url: url, budget: budget)
            if bigEndian { data = ElementDecoding.byteSwapped(data, elementSize: storage.type.byteSize) }
            cache[storage.key] = data
            return data
        }
        return CheckpointContents(tensors: tensors, ignoredGlobals: run.ignoredGlobals)
    }

    /// `name/data.pkl` (or a bare `data.pkl`), not some nested file of the same name.
    private static func isTopLevelPickle(_ path: String) -> Bool {
        guard path.hasSuffix("data.pkl") else { return false }
        let head = path.dropLast("data.pkl".count)
        return head.isEmpty || (head.hasSuffix("/") && head.dropLast().firstIndex(of: "/") == nil)
    }

    /// The whole entry in (for stored entries) a single read, after checking
    /// its declared sizes against the archive (see ``ZipEntryLimits``).
    private static func contents(of entry: Entry, in archive: Archive, url: URL, budget: ExpansionBudget) throws -> Data {
        let size = try ZipEntryLimits.checkedSize(of: entry, fileSize: budget.fileSize, url: url)
        guard size > 0 else { return Data() }
        try budget.spend(size, for: "zip entry '\(entry.path)'", url: url)
        // With bufferSize == size a stored entry arrives as one chunk, which we
        // keep as is; only unusual (compressed) entries get concatenated.
        var chunks: [Data] = []
        do {
            _ = try archive.extract(entry, bufferSize: size, skipCRC32: true) { chunks.append($0) }
        } catch {
            throw CheckpointError.truncated(url, "zip entry '\(entry.path)' cannot be read in full")
        }
        let data = chunks.count == 1 ? chunks[0] : chunks.reduce(into: Data()) { $0.append($1) }
        guard data.count == size else {
            throw CheckpointError.truncated(url, "zip entry '\(entry.path)' has \(data.count) of \(size) bytes")
        }
        return data
    }
}
