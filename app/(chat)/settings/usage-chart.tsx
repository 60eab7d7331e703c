/**
 * A bar chart drawn as SVG on the server (docs/ui.md#settings): no chart library, no JavaScript
 * in the browser. One bar per day; a bar may stack several series (prompt and completion
 * tokens). The SVG is an image with a title and a one-sentence summary; the numbers
 * themselves are in the table beside it (UsageSection), for screen readers.
 *
 * The bars stretch to the width available (`preserveAspectRatio="none"`), so no text lives
 * inside the SVG: its labels are HTML around it and stay readable on a phone.
 */
export type ChartSeries = { label: string; values: number[]; className: string; swatch: string };

const WIDTH = 300;
const HEIGHT = 100;

export function BarChart({
  id,
  title,
  summary,
  days,
  series,
  format,
}: {
  id: string;
  title: string;
  summary: string;
  /** The days' labels, as shown under the bars and in each bar's tooltip. */
  days: string[];
  series: ChartSeries[];
  /** Numbers as the page writes them ("1,234"). */
  format: (n: number) => string;
}) {
  const totals = days.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const slot = WIDTH / days.length;
  const barWidth = Math.max(1, slot * 0.7);

  return (
    <figure className="space-y-1.5">
      <figcaption id={`${id}-caption`} className="flex flex-wrap items-baseline justify-between gap-x-4 text-sm font-medium">
        {title}
        {series.length > 1 && (
          <span aria-hidden="true" className="flex gap-3 text-xs font-normal text-zinc-600 dark:text-zinc-400">
            {series.map((s) => (
              <span key={s.label} className="flex items-center gap-1">
                <span className={`inline-block size-2.5 rounded-sm ${s.swatch}`} />
                {s.label}
              </span>
            ))}
          </span>
        )}
      </figcaption>
      <div aria-hidden="true" className="text-right text-xs text-zinc-500 dark:text-zinc-400">
        {format(max)}
      </div>
      <svg
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="block h-28 w-full"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <line x1={0} x2={WIDTH} y1={0.5} y2={0.5} vectorEffect="non-scaling-stroke" className="stroke-zinc-200 dark:stroke-zinc-800" strokeDasharray="3 3" />
        <line x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} vectorEffect="non-scaling-stroke" className="stroke-zinc-300 dark:stroke-zinc-700" />
        {days.map((day, i) => {
          let top = HEIGHT;
          return (
            <g key={day}>
              <title>{`${day}: ${series.map((s) => `${s.label} ${format(s.values[i] ?? 0)}`).join(", ")}`}</title>
              {series.map((s) => {
                const height = ((s.values[i] ?? 0) / max) * HEIGHT;
                if (height <= 0) return null;
                top -= height;
                return <rect key={s.label} x={i * slot + (slot - barWidth) / 2} y={top} width={barWidth} height={height} className={s.className} />;
              })}
            </g>
          );
        })}
      </svg>
      <div aria-hidden="true" className="flex justify-between text-xs text-zinc-500 dark:text-zinc-400">
        <span>{days[0]}</span>
        <span>{days.at(-1)}</span>
      </div>
    </figure>
  );
}
