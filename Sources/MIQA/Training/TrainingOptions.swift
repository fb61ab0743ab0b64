import Foundation
import Tensor

/// Everything a training run is configured by (`miqa train`'s options), saved in the run's state
/// so that `--resume` can refuse a changed configuration.
public struct TrainingOptions: Codable, Equatable, Sendable {
    public var data: String
    public var task: String
    public var trainSplit: String
    public var valSplit: String
    public var label: String = "composite"
    public var model: String
    public var initialisation: TrainingInitialisation = .none
    public var loss: Loss = .mse
    public var batchSize: Int = 256
    public var epochs: Int = 5
    public var warmupEpochs: Int = 1
    public var lr: Double = 1e-4
    public var weightDecay: Double = 1e-4
    public var validationsPerEpoch: Int = 2
    public var imageSize: Int = 288
    public var cropSize: Int = 224
    public var seed: UInt64 = 1_234_567
    public var out: String
    /// Dropout before the last layer where the architecture has one (RA-MIQA, EfficientNet-Lite);
    /// nil: the original's value.
    public var headDropout: Float?
    /// Largest stochastic-depth rate of the EfficientNets' residual blocks (scaled by block index).
    public var stochasticDepth: Float = 0.2
    /// A smaller architecture than the named one (tests): the config JSON replaces the registry's.
    public var configOverride: ArchitectureConfig?

    public init(data: String, task: String, trainSplit: String, valSplit: String, model: String, out: String) {
        self.data = data
        self.task = task
        self.trainSplit = trainSplit
        self.valSplit = valSplit
        self.model = model
        self.out = out
    }
}

/// One row of the metrics log: a validation, with the mean training loss since the previous one.
public struct TrainingLogRow: Codable, Equatable, Sendable {
    public var step: Int
    public var epoch: Double
    public var loss: Double
    public var lr: Double
    public var srcc: Double
    public var plcc: Double
    public var krcc: Double
    public var rmse: Double

    static let csvHeader = "step,epoch,loss,lr,srcc,plcc,krcc,rmse"
    var csv: String {
        [Double(step), epoch, loss, lr, srcc, plcc, krcc, rmse].enumerated()
            .map { $0.offset == 0 ? String(step) : String(format: "%.8g", $0.element) }.joined(separator: ",")
    }
}

/// Where a run stands: saved with the last checkpoint, restored by `--resume`.
public struct TrainingProgress: Codable, Equatable, Sendable {
    /// Updates done.
    public var step = 0
    public var bestSRCC = -Double.infinity
    public var log: [TrainingLogRow] = []
    /// Sum and count of training losses since the last validation.
    public var lossSum = 0.0
    public var lossCount = 0
}

// Coded as its name ("mse"), as the run states written before the type existed.
extension Loss: Codable {}
