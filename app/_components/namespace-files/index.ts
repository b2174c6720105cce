// A namespace's files, for the namespace and flow pages: <NamespaceFilesPanel tenant namespace readOnly? />.
export {
  CodeEditor,
  formatSize,
  NamespaceFilesPanel,
  type NamespaceFilesPanelProps,
} from "./namespace-files-panel";
