// The launch form of a flow: <ExecuteDialog tenant namespace flowId inputs? open onClose onStarted? />, or
// <ExecuteButton ... label="Execute" /> that opens it.
export {
  ExecuteButton,
  ExecuteDialog,
  type ExecuteDialogProps,
  type StartedExecution,
} from "./execute-dialog";
export { InputField, type InputFieldProps } from "./input-field";
export { choicesOf, type DeclaredInput, type FieldValue, initialValue, toFormData } from "./input-values";
