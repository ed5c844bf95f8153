/** Target input: Input, InputPath and InputTransformer (pure). */
export { evaluateJsonPath, parseJsonPath, JsonPathError, type PathStep } from './json-path';
export {
  InputTransformError,
  PREDEFINED_VARIABLES,
  renderInputTransformer,
  targetInput,
  validateTargetInput,
  type DeliveryContext,
  type InputTransformer,
  type TargetInputSpec,
} from './input';
