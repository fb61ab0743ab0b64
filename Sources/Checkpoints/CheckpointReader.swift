import Foundation

/// Loads weight files into a ``TensorDict``, whatever their format.
public enum CheckpointReader {
    /// Reads a PyTorch zip checkpoint, a legacy (pre-1.6) PyTorch checkpoint or
    /// a safetensors file, chosen by content rather than file extension.
    ///
    /// For PyTorch files the weights are taken from a wrapper dict's
    /// `state_dict` (else `model`, `model_state_dict`, `state_dict_ema`) when it
    /// holds tensors, otherwise from the top-level dict; non-tensor entries are
    /// ignored. A leading `module.` (from DataParallel/DDP) is removed from keys.
    /// Key order is the stored order.
    ///
    /// Hostile files are refused with a ``CheckpointError`` in bounded time and
    /// memory: pickles nested deeper than 1000 levels, storages and zip entries
    /// larger than the file, views outside their storage, and more values than
    /// 8 bytes per file byte + 256 MiB can hold (see ``CheckpointError/limitExceeded(_:_:)``).
    public static func read(_ url: URL) throws -> TensorDict {
        try readContents(url).tensors
    }

    /// Like ``read(_:)``, and also reports the pickle globals that were ignored
    /// (see ``CheckpointContents/ignoredGlobals``).
    public static func readContents(_ url: URL) throws -> CheckpointContents {
        let data = try FileBytes.load(url)
        switch try CheckpointFormat.detect(data, url: url) {
        case .torchZip: return try TorchZipReader.read(url, data: data)
        case .torchLegacy: return try TorchLegacyReader.read(url, data: data)
        case .safetensors: return CheckpointContents(tensors: try SafetensorsReader.read(url, data: data))
        }
    }
}
