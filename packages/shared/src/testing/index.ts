export { blockedCall, httpCall, toolCall } from "./sample-events";
