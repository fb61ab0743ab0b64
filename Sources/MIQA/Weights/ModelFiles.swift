import Foundation
import Checkpoints

/// Writing a model folder's pair `model.safetensors` + `model.json` so that a failure or a kill
/// never leaves a pair that looks complete but is not.
///
/// Both files are staged completely in a `StagingFolder` first; the card records the SHA-256 of
/// the staged weights; then the weights and the card are synced and renamed into place, card
/// last. A full disk fails while staging: the old pair (if any) is untouched and the staging
/// folder is removed. A kill between the two renames leaves new weights beside the old card (or
/// no card), which `ModelCard.verifyWeights` rejects on load with "re-import it", and which a
/// rerun replaces. The caller holds the folder's `DirectoryLock`.
enum ModelFiles {
    static let weightsName = "model.safetensors"
    static let cardName = "model.json"
    static let onnxName = "model.onnx"

    /// Installs `weights` and `card` (its `weightsSHA256` set here) into `dir`, creating it.
    /// - Returns: the card as written.
    @discardableResult
    static func install(_ weights: TensorDict, metadata: [String: String], card: ModelCard, into dir: URL,
                        as type: StorageType = .float32) throws -> ModelCard {
        try AtomicFile.makeDirectory(dir)
        StagingFolder.removeLeftovers(in: dir)
        let staging = try StagingFolder(in: dir)
        defer { staging.remove() }
        let weightsURL = dir.appendingPathComponent(weightsName), cardURL = dir.appendingPathComponent(cardName)
        try staging.writeSafetensors(weights, metadata: metadata, as: weightsName, for: weightsURL, type: type)
        var card = card
        do {
            card.weightsSHA256 = try SHA256.hex(fileAt: staging.file(weightsName))
        } catch {
            throw DatasetError.readFailed(path: weightsURL.path, reason: AtomicFile.reason(error))
        }
        try staging.write(try cardData(card), as: cardName, for: cardURL)
        try staging.install(weightsName, to: weightsURL)
        try staging.install(cardName, to: cardURL)
        // The folder's entries (the two renames) on disk too.
        try StagingFolder.sync(dir, reportAs: cardURL)
        return card
    }

    /// Installs a file as it is (an ONNX graph) under `name`, with its card, as `install` does
    /// weights: both staged, synced and renamed into place, the card naming the file's SHA-256.
    static func installFile(_ source: URL, as name: String, card: ModelCard, into dir: URL) throws {
        try AtomicFile.makeDirectory(dir)
        StagingFolder.removeLeftovers(in: dir)
        let staging = try StagingFolder(in: dir)
        defer { staging.remove() }
        let fileURL = dir.appendingPathComponent(name), cardURL = dir.appendingPathComponent(cardName)
        let bytes: Data
        do { bytes = try Data(contentsOf: source) } catch {
            throw DatasetError.readFailed(path: source.path, reason: AtomicFile.reason(error))
        }
        try staging.write(bytes, as: name, for: fileURL)
        var card = card
        card.weightsSHA256 = SHA256.hex(bytes)
        try staging.write(try cardData(card), as: cardName, for: cardURL)
        try staging.install(name, to: fileURL)
        try staging.install(cardName, to: cardURL)
        try StagingFolder.sync(dir, reportAs: cardURL)
    }

    /// Installs one safetensors file (`train`'s `state.safetensors`) the same way.
    static func installSafetensors(_ dict: TensorDict, metadata: [String: String], to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let staging = try StagingFolder(in: dir)
        defer { staging.remove() }
        try staging.writeSafetensors(dict, metadata: metadata, as: url.lastPathComponent, for: url)
        try staging.install(url.lastPathComponent, to: url)
        try StagingFolder.sync(dir, reportAs: url)
    }

    /// The card as stored: pretty-printed, sorted keys (stable diffs, byte-equal reruns).
    static func cardData(_ card: ModelCard) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(card)
    }
}
