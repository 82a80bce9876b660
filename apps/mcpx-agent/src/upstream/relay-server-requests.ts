import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  ListRootsRequestSchema,
  ListRootsResultSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { ClientRelay } from "../aggregator/client-relay";

/** Whatever server `name` asks of a client, or tells it on its own, goes through the relay. */
export function relayServerRequests(name: string, client: Client, relay: ClientRelay): void {
  client.setRequestHandler(CreateMessageRequestSchema, (request, extra) =>
    relay.requestFromClient(
      name,
      "sampling",
      request,
      request.params.tools ? CreateMessageResultWithToolsSchema : CreateMessageResultSchema,
      { signal: extra.signal },
    ),
  );
  client.setRequestHandler(ElicitRequestSchema, (request, extra) =>
    relay.requestFromClient(name, "elicitation", request, ElicitResultSchema, {
      signal: extra.signal,
    }),
  );
  client.setRequestHandler(ListRootsRequestSchema, (request, extra) =>
    relay.requestFromClient(name, "roots", request, ListRootsResultSchema, {
      signal: extra.signal,
    }),
  );
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) =>
    relay.log(name, notification.params),
  );
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) =>
    relay.resourceUpdated(notification.params.uri),
  );
}
