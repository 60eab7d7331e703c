import type { Metadata } from "next";
import { headers } from "next/headers";
import ReactMarkdown from "react-markdown";
import { openApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "API reference" };

type Schema = {
  $ref?: string;
  type?: string | string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  format?: string;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  example?: unknown;
};
type Operation = {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
  security?: unknown[];
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const refName = (ref: string) => ref.split("/").at(-1)!;

function typeOf(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.anyOf ?? schema.oneOf) return (schema.anyOf ?? schema.oneOf)!.map(typeOf).join(" | ");
  if (schema.type === "array") return `${typeOf(schema.items)}[]`;
  const base = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  return schema.format ? `${base} (${schema.format})` : base;
}

function limits(schema: Schema) {
  const parts: string[] = [];
  if (schema.minLength !== undefined) parts.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) parts.push(`max length ${schema.maxLength}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.enum) parts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  return parts.join(", ");
}

const anchor = (name: string) => `schema-${name}`;
function TypeLink({ schema }: { schema: Schema | undefined }) {
  const ref = schema?.$ref ?? (schema?.type === "array" ? schema.items?.$ref : undefined);
  const text = typeOf(schema);
  return ref ? (
    <a href={`#${anchor(refName(ref))}`} className="font-mono text-blue-700 underline dark:text-blue-300">
      {text}
    </a>
  ) : (
    <span className="font-mono">{text}</span>
  );
}

const prose = "markdown text-sm text-zinc-700 dark:text-zinc-300";

/** /api/docs: the OpenAPI document of /api/openapi.json, rendered on the server (no CDN, no client JS). */
export default async function ApiDocsPage() {
  const host = (await headers()).get("host") ?? "localhost:3000";
  const doc = openApiDocument(`http://${host}`) as unknown as {
    info: { title: string; version: string; description: string };
    servers: { url: string }[];
    paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
    components: { schemas: Record<string, Schema> };
  };
  return (
    <main className="mx-auto max-w-4xl space-y-10 px-4 py-10">
      <header className="space-y-3">
        <h1 className="text-3xl font-semibold">
          {doc.info.title} <span className="text-base font-normal text-zinc-500">v{doc.info.version}</span>
        </h1>
        <div className={prose}>
          <ReactMarkdown>{doc.info.description}</ReactMarkdown>
        </div>
        <p className="text-sm">
          Base URL: <code className="font-mono">{doc.servers[0]?.url}</code> · Machine-readable:{" "}
          <a href="/api/openapi.json" className="text-blue-700 underline dark:text-blue-300">
            /api/openapi.json
          </a>
        </p>
      </header>

      <nav aria-label="Endpoints" className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
        <ul className="grid gap-1 text-sm sm:grid-cols-2">
          {Object.entries(doc.paths).flatMap(([path, item]) =>
            METHODS.filter((m) => item[m]).map((m) => (
              <li key={`${m} ${path}`}>
                <a href={`#${m}-${path}`} className="hover:underline">
                  <span className="inline-block w-16 font-mono text-xs font-semibold uppercase">{m}</span>
                  <span className="font-mono">{path}</span>
                </a>
              </li>
            )),
          )}
        </ul>
      </nav>

      {Object.entries(doc.paths).flatMap(([path, item]) =>
        METHODS.filter((m) => item[m]).map((m) => {
          const op = item[m]!;
          const body = op.requestBody && Object.values(op.requestBody.content)[0]?.schema;
          return (
            <section key={`${m} ${path}`} id={`${m}-${path}`} className="space-y-3 border-t border-zinc-200 pt-6 dark:border-zinc-800">
              <h2 className="text-lg font-semibold">
                <span className="mr-2 rounded bg-zinc-900 px-2 py-0.5 font-mono text-xs uppercase text-white dark:bg-white dark:text-zinc-900">
                  {m}
                </span>
                <span className="font-mono">{path}</span>
              </h2>
              {op.summary && <p className="font-medium">{op.summary}</p>}
              {op.description && (
                <div className={prose}>
                  <ReactMarkdown>{op.description}</ReactMarkdown>
                </div>
              )}
              {op.security?.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">No authentication.</p>}
              {op.parameters && op.parameters.length > 0 && (
                <table className="w-full text-left text-sm">
                  <caption className="pb-1 text-left font-medium">Parameters</caption>
                  <tbody>
                    {op.parameters.map((p) => (
                      <tr key={p.name} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                        <td className="py-1.5 pr-3 font-mono">{p.name}</td>
                        <td className="py-1.5 pr-3 text-zinc-600 dark:text-zinc-400">{p.in}</td>
                        <td className="py-1.5 pr-3"><TypeLink schema={p.schema} /></td>
                        <td className="py-1.5">{p.description}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {body && (
                <p className="text-sm">
                  Body: <TypeLink schema={body} />
                </p>
              )}
              <table className="w-full text-left text-sm">
                <caption className="pb-1 text-left font-medium">Responses</caption>
                <tbody>
                  {Object.entries(op.responses).map(([status, response]) => (
                    <tr key={status} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                      <td className="py-1.5 pr-3 font-mono">{status}</td>
                      <td className="py-1.5 pr-3">{response.description}</td>
                      <td className="py-1.5">
                        {response.content && <TypeLink schema={Object.values(response.content)[0]?.schema} />}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        }),
      )}

      <section className="space-y-6 border-t border-zinc-200 pt-6 dark:border-zinc-800">
        <h2 className="text-2xl font-semibold">Schemas</h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <div key={name} id={anchor(name)} className="space-y-2">
            <h3 className="font-mono text-lg font-semibold">{name}</h3>
            {schema.description && <p className="text-sm text-zinc-600 dark:text-zinc-400">{schema.description}</p>}
            {schema.properties ? (
              <table className="w-full text-left text-sm">
                <tbody>
                  {Object.entries(schema.properties).map(([field, prop]) => (
                    <tr key={field} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                      <td className="py-1.5 pr-3 font-mono">
                        {field}
                        {schema.required?.includes(field) ? "" : "?"}
                      </td>
                      <td className="py-1.5 pr-3"><TypeLink schema={prop} /></td>
                      <td className="py-1.5">{[prop.description, limits(prop)].filter(Boolean).join(" · ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="text-sm"><TypeLink schema={schema} /></p>
            )}
          </div>
        ))}
      </section>
    </main>
  );
}
