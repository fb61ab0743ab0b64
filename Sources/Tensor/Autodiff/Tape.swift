import Foundation

/// Records how to run a forward computation backwards.
///
/// Design: differentiable ops (`Differentiable.*`) take an optional tape. With no tape, or when no
/// input requires a gradient, they only compute the forward value, so inference and validation
/// pay nothing for autodiff. With a tape they append one closure that, when run, reads the
/// output's gradient and adds the inputs' gradients (`Variable.addGrad`). `backward(from:)` seeds
/// the loss gradient with 1 and runs the closures newest first: the order of the forward pass
/// reversed is a valid topological order of the graph, so every output gradient is complete
/// before its producer reads it. The closures keep the tensors they need alive; dropping the tape
/// frees them.
public final class Tape {
    private var steps: [() -> Void] = []

    public init() {}

    /// The number of recorded backward steps.
    public var count: Int { steps.count }

    /// Appends a backward step (called by differentiable ops).
    public func record(_ step: @escaping () -> Void) { steps.append(step) }

    /// Back-propagates from a scalar `loss` (one element) through everything recorded, then
    /// clears the tape.
    public func backward(from loss: Variable) {
        precondition(loss.value.count == 1, "backward needs a scalar loss, got \(loss.value.shape)")
        loss.zeroGrad()
        loss.addGrad(Tensor(shape: loss.value.shape, values: [1]))
        while let step = steps.popLast() { step() }
    }
}

extension Optional where Wrapped == Tape {
    /// The tape, if recording is needed for an op whose inputs are `inputs`.
    @inline(__always)
    func recording(_ inputs: Variable?...) -> Tape? {
        guard let tape = self else { return nil }
        for v in inputs where v?.requiresGrad == true { return tape }
        return nil
    }
}
