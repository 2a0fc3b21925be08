/**
 * Modules about the host's reachability and the network from it: ping and wait_for_connection (does the host
 * answer over its connection), wait_for (a port, or a path, on the host) and uri (an HTTP request from the host).
 */
package io.budgetctl.modules.net;
