import Foundation
import Tensor

/// A network that can be trained: a forward pass that records on a tape, its parameters by their
/// PyTorch names, and an export of all weights (running statistics included) in the layout that
/// `ModelRegistry.build` and our safetensors store read.
public protocol TrainableModel: AnyObject {
    var config: ArchitectureConfig { get }
    /// Trainable parameters by PyTorch name, in construction order (the order of `state_dict()`).
    var parameters: [(name: String, variable: Variable)] { get }
    /// Runs the network on one tensor per input view (`[B, H, W, 3]` each); returns `[B, outputs]`.
    /// In train mode BatchNorm uses batch statistics (and updates its running statistics) and
    /// dropout is active; with `context.tape` set, the pass is recorded for `Tape.backward`.
    func forward(_ views: [Tensor], context: ForwardContext) -> Variable
    /// Every weight by name (parameters, BatchNorm running statistics, frozen tensors), copied.
    func exportWeights() -> [String: Tensor]
}

/// What a forward pass needs besides its inputs: the tape (nil: no gradients), train or eval
/// mode, and the generator for dropout masks.
public final class ForwardContext {
    public let tape: Tape?
    public let training: Bool
    public var dropout: DropoutGenerator

    public init(tape: Tape?, training: Bool, dropoutSeed: UInt64 = 0) {
        self.tape = tape
        self.training = training
        self.dropout = DropoutGenerator(seed: dropoutSeed)
    }
}

/// `nn.Conv2d` (OIHW weight, optional bias) for training.
struct TrainConv {
    let kernel: Conv2dTrainingKernel
    let weight: Variable
    let bias: Variable?

    init(_ net: TrainingBuilder, _ scope: ParameterScope, _ g: ConvGeometry, bias: Bool) {
        kernel = Conv2dTrainingKernel(inChannels: g.inChannels, outChannels: g.outChannels, kernel: (g.kernel, g.kernel),
                                      stride: (g.stride, g.stride), padding: g.padding, groups: g.groups, bias: bias)
        weight = net.parameter(scope.key("weight"), kernel.weightShape)
        self.bias = bias ? net.parameter(scope.key("bias"), [g.outChannels]) : nil
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        Differentiable.conv2d(x, kernel, weight: weight, bias: bias, tape: c.tape)
    }
}

/// `nn.BatchNorm2d` for training: batch statistics in train mode, running ones in eval mode.
struct TrainBatchNorm {
    let kernel: BatchNormKernel
    let gamma: Variable, beta: Variable
    let runningMean: Tensor, runningVariance: Tensor
    let momentum: Float

    init(_ net: TrainingBuilder, _ s: BatchNormSettings, channels: Int) {
        kernel = BatchNormKernel(channels: channels, eps: s.eps)
        gamma = net.parameter(s.scope.key("weight"), [channels])
        beta = net.parameter(s.scope.key("bias"), [channels])
        runningMean = net.buffer(s.scope.key("running_mean"), [channels])
        runningVariance = net.buffer(s.scope.key("running_var"), [channels])
        net.store.ignore(s.scope.key("num_batches_tracked"))
        momentum = s.momentum
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        Differentiable.batchNorm(x, kernel, gamma: gamma, beta: beta, runningMean: runningMean, runningVariance: runningVariance,
                                 momentum: momentum, training: c.training, tape: c.tape)
    }
}

/// `nn.Linear` (`[out, in]` weight); `weightShape` lets a 1x1 convolution's `[out, in, 1, 1]`
/// weight be used as a linear layer under its own name and shape.
struct TrainLinear {
    let weight: Variable
    let bias: Variable?
    let matrixShape: [Int]

    init(_ net: TrainingBuilder, weight: String, bias: String, in cin: Int, out cout: Int, storedShape: [Int]?) {
        matrixShape = [cout, cin]
        self.weight = net.parameter(weight, storedShape ?? [cout, cin])
        self.bias = net.parameter(bias, [cout])
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        let w = weight.value.shape == matrixShape ? weight : Differentiable.reshape(weight, matrixShape, tape: c.tape)
        return Differentiable.linear(x, weight: w, bias: bias, tape: c.tape)
    }
}

/// `nn.LayerNorm` over the last dimension.
struct TrainLayerNorm {
    let weight: Variable, bias: Variable
    let eps: Float

    init(_ net: TrainingBuilder, _ scope: ParameterScope, dim: Int, eps: Float) {
        weight = net.parameter(scope.key("weight"), [dim])
        bias = net.parameter(scope.key("bias"), [dim])
        self.eps = eps
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        Differentiable.layerNorm(x, weight: weight, bias: bias, eps: eps, tape: c.tape)
    }
}
