/**
 * Hands a file to the browser as a download: the browser host cannot write where the person wants, so the
 * file lands in their downloads (Electron saves it the same way). One place for the object URL's lifetime.
 */
export const downloadBlob = (blob: Blob, filename: string): void => {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the blob once the click is handled; free it a little later, not at once (an
  // immediate revoke can race the download's start).
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
};
