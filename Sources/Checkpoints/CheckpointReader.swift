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
    public static func read(_ url: URL) throws -> TensorDict {
        let data = try FileBytes.load(url)
        switch try CheckpointFormat.detect(data, url: url) {
        case .torchZip: return try TorchZipReader.read(url)
        case .torchLegacy: return try TorchLegacyReader.read(url, data: data)
        case .safetensors: return try SafetensorsReader.read(url, data: data)
        }
    }
}
