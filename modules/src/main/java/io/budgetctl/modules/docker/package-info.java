/**
 * Modules that drive the host's Docker engine: docker_compose, docker_image and docker_login, with
 * {@code DockerSupport} for finding Compose and reading {@code docker ps}. Nothing here is public but the modules.
 */
package io.budgetctl.modules.docker;
