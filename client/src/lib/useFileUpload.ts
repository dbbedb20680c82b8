import { useState, type ChangeEvent } from 'react';

/**
 * The local state of an upload form: the chosen file and the progress of its upload.
 * A file input can't be emptied through React state, so `clear` remounts it with a new key.
 */
export function useFileUpload() {
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const [percent, setPercent] = useState(0);
  return {
    file,
    inputKey,
    percent,
    setPercent,
    onFileChange: (event: ChangeEvent<HTMLInputElement>) => setFile(event.target.files?.[0] ?? null),
    clear: () => {
      setFile(null);
      setInputKey((key) => key + 1);
    },
  };
}
