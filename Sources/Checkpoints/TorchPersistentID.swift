import Foundation

/// Decodes the persistent ids `torch.save` writes in place of storages.
///
/// Zip format:    ('storage', storage_type, key, location, numel)
/// Legacy format: ('storage', storage_type, root_key, location, numel, view_metadata)
/// where view_metadata is None or (view_key, offset, view_numel), offsets in elements.
/// The bytes are not touched here; readers fetch them by key afterwards.
final class TorchPersistentID {
    private let url: URL
    /// Every storage seen, by the key its bytes are stored under (root key for views).
    private(set) var rootStorages: [String: StorageRef] = [:]
    private var views: [String: StorageRef] = [:]

    init(url: URL) { self.url = url }

    /// The `persistent_load` hook for ``PickleMachine``.
    func load(_ pid: PickleValue) throws -> PickleValue {
        guard let fields = pid.sequence, fields.first?.stringValue == "storage" else {
            // e.g. ('module', ...) source records of whole-model legacy saves: not tensors.
            return .object(PickleObject(type: .string("persistent_id"), arguments: pid.sequence ?? [pid]))
        }
        guard fields.count >= 5, let key = fields[2].stringValue, let numel = fields[4].intValue, numel >= 0 else {
            throw TorchGlobals.Problem(message: "bad storage persistent id")  // PickleMachine adds the offset
        }
        guard let type = TorchGlobals.storageType(storageGlobal: fields[1]) else {
            let named = if case .global = fields[1] { fields[1].kindDescription } else { "(\(fields[1].kindDescription) where a storage class belongs)" }
            throw CheckpointError.unsupportedDType(url, named)
        }
        let root = rootStorages[key] ?? StorageRef(key: key, type: type, elementCount: numel)
        rootStorages[key] = root
        if fields.count >= 6, let view = fields[5].sequence, view.count == 3,
           let viewKey = view[0].stringValue, let offset = view[1].intValue, let viewCount = view[2].intValue {
            let (byteOffset, overflow) = offset.multipliedReportingOverflow(by: type.byteSize)
            guard !overflow, byteOffset >= 0, viewCount >= 0 else {
                throw TorchGlobals.Problem(message: "storage view '\(viewKey)' has an impossible offset or size")
            }
            let ref = views[viewKey] ?? StorageRef(key: key, type: type, elementCount: viewCount, byteOffset: byteOffset)
            views[viewKey] = ref
            return .storage(ref)
        }
        return .storage(root)
    }
}
