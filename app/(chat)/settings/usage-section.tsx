import { formatCount, formatDay } from "@/lib/i18n/format";
import type { Locale, MessageKey } from "@/lib/i18n/messages";
import type { UsageReport } from "@/lib/usage";
import { BarChart } from "./usage-chart";

type T = (key: MessageKey, values?: Record<string, string | number>) => string;

/**
 * Settings → Usage (docs/ui.md#settings): replies and tokens per day over the window, as two
 * server-rendered bar charts, the totals, and a table per model. Everything is rendered here
 * from `GET /auth/me/usage/`'s data (lib/usage.ts); the charts' numbers are also in a table
 * that only screen readers see.
 */
export function UsageSection({ usage, days, locale, t }: { usage: UsageReport; days: number; locale: Locale; t: T }) {
  const n = (value: number) => formatCount(value, locale);
  const labels = usage.by_day.map((day) => formatDay(day.date, locale));
  const from = labels[0] ?? "";
  const to = labels.at(-1) ?? "";
  const summary = (values: number[]) => {
    const total = values.reduce((sum, v) => sum + v, 0);
    if (total === 0) return t("usageChartEmpty", { from, to });
    const peak = Math.max(...values);
    return t("usageChartSummary", { total: n(total), from, to, peakDay: labels[values.indexOf(peak)]!, peak: n(peak) });
  };
  const replies = usage.by_day.map((d) => d.replies);
  const prompt = usage.by_day.map((d) => d.prompt_tokens);
  const completion = usage.by_day.map((d) => d.completion_tokens);
  const cell = "px-2 py-1.5 text-right tabular-nums";

  return (
    <section aria-labelledby="usage-heading" className="space-y-4">
      <h2 id="usage-heading" className="text-lg font-semibold">
        {t("usage")}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-300">{t("usageHelp", { days })}</p>
      <dl className="grid grid-cols-3 gap-2">
        {(
          [
            ["usageReplies", usage.replies],
            ["usagePromptTokens", usage.prompt_tokens],
            ["usageCompletionTokens", usage.completion_tokens],
          ] as const
        ).map(([key, value]) => (
          <div key={key} className="rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800">
            <dt className="text-xs text-zinc-600 dark:text-zinc-400">{t(key)}</dt>
            <dd className="text-lg font-semibold tabular-nums">{n(value)}</dd>
          </div>
        ))}
      </dl>
      {usage.replies === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-300">{t("usageEmpty", { days })}</p>
      ) : (
        <>
          <BarChart
            id="usage-replies"
            title={t("usageRepliesChart", { days })}
            summary={summary(replies)}
            days={labels}
            format={n}
            series={[{ label: t("usageReplies"), values: replies, className: "fill-blue-600 dark:fill-blue-400", swatch: "bg-blue-600 dark:bg-blue-400" }]}
          />
          <BarChart
            id="usage-tokens"
            title={t("usageTokensChart", { days })}
            summary={summary(usage.by_day.map((d) => d.prompt_tokens + d.completion_tokens))}
            days={labels}
            format={n}
            series={[
              { label: t("usagePromptTokens"), values: prompt, className: "fill-emerald-300 dark:fill-emerald-700", swatch: "bg-emerald-300 dark:bg-emerald-700" },
              { label: t("usageCompletionTokens"), values: completion, className: "fill-emerald-600 dark:fill-emerald-400", swatch: "bg-emerald-600 dark:bg-emerald-400" },
            ]}
          />
          <table className="sr-only">
            <caption>{t("usageRepliesChart", { days })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("usageDate")}</th>
                <th scope="col">{t("usageReplies")}</th>
                <th scope="col">{t("usagePromptTokens")}</th>
                <th scope="col">{t("usageCompletionTokens")}</th>
              </tr>
            </thead>
            <tbody>
              {usage.by_day.map((day, i) => (
                <tr key={day.date}>
                  <th scope="row">{labels[i]}</th>
                  <td>{n(day.replies)}</td>
                  <td>{n(day.prompt_tokens)}</td>
                  <td>{n(day.completion_tokens)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="pb-1 text-left text-sm font-medium">{t("usageByModel")}</caption>
              <thead className="text-xs text-zinc-600 dark:text-zinc-400">
                <tr className="border-b border-zinc-200 dark:border-zinc-800">
                  <th scope="col" className="px-2 py-1.5 text-left font-medium">
                    {t("model")}
                  </th>
                  <th scope="col" className={`${cell} font-medium`}>
                    {t("usageReplies")}
                  </th>
                  <th scope="col" className={`${cell} font-medium`}>
                    {t("usagePromptTokens")}
                  </th>
                  <th scope="col" className={`${cell} font-medium`}>
                    {t("usageCompletionTokens")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {usage.by_model.map((row) => (
                  <tr key={row.model ?? ""} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
                    <th scope="row" className="px-2 py-1.5 text-left font-normal">
                      {row.model ?? t("usageNoModel")}
                    </th>
                    <td className={cell}>{n(row.replies)}</td>
                    <td className={cell}>{n(row.prompt_tokens)}</td>
                    <td className={cell}>{n(row.completion_tokens)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
