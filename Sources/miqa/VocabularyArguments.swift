import ArgumentParser
import MIQA
import Tensor

// The library's typed vocabulary as command-line values: ArgumentParser checks them and lists
// the choices in --help and in its error message, so no command re-checks strings.
extension VisionTask: ExpressibleByArgument {}
extension QualityLabel: ExpressibleByArgument {}
extension Loss: ExpressibleByArgument {}
extension LabelDefinition: ExpressibleByArgument {}
extension MaskMethod: ExpressibleByArgument {}
extension FilterJob.Mode: ExpressibleByArgument {}

extension TrainingInitialisation: ExpressibleByArgument {
    public init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        self.init(argument)
    }
}
extension ONNXMachineKind: ExpressibleByArgument {}
extension ONNXClassifierOutput: ExpressibleByArgument {}
