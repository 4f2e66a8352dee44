/**
 * Entry point of `deno task start`: serves the API.
 *
 * @module
 */

import { createApp } from "./api/app.ts";

const hostname = Deno.env.get("API_HOST") ?? "0.0.0.0";
const port = Number(Deno.env.get("API_PORT") ?? "4000");

Deno.serve({ hostname, port }, createApp().fetch);
