// Downloads: CSV and SVG text from the engine, PNG drawn from that SVG on a canvas, the HTML
// report. Everything is made in the page from data it already has; nothing is fetched.

/** Offers `blob` as a download named `fileName`. */
export function download(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next task; keep the URL a little longer for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** CSV text from the engine, which already starts with a BOM so Excel reads it as UTF-8. */
export function csvBlob(csv) {
  return new Blob([csv], { type: 'text/csv;charset=utf-8' });
}

export function svgBlob(svg) {
  return new Blob([svg], { type: 'image/svg+xml;charset=utf-8' });
}

export function htmlBlob(html) {
  return new Blob([html], { type: 'text/html;charset=utf-8' });
}

/** The width and height of an SVG document's viewBox, else 960 × 400. */
function viewBoxSize(svgText) {
  const match = /viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(svgText);
  const width = match ? Number(match[1]) : 960;
  const height = match ? Number(match[2]) : 400;
  return { width: width > 0 ? width : 960, height: height > 0 ? height : 400 };
}

/**
 * Rasterises a standalone SVG document to a PNG blob at `scale` × its viewBox size, on a white
 * background (a transparent PNG looks broken in most viewers and chat apps).
 */
export async function pngFromSvg(svgText, scale = 2) {
  const { width, height } = viewBoxSize(svgText);
  const url = URL.createObjectURL(svgBlob(svgText));
  try {
    const image = new Image();
    image.decoding = 'async';
    const loaded = new Promise((resolve, reject) => {
      image.onload = resolve;
      image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    });
    image.src = url;
    await loaded;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** `shoplens-{what}-{day}.{extension}` with the report's last day, file-system safe. */
export function exportFileName(what, day, extension) {
  const safe = String(what).replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';
  return `shoplens-${safe}${day ? `-${day}` : ''}.${extension}`;
}
