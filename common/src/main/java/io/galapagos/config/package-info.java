/**
 * Search configuration: records validated in their constructors, and {@link io.galapagos.config.ConfigLoader},
 * which reads YAML strictly (unknown keys, wrong types and out-of-range values are errors that name the
 * file, the key and the value).
 */
package io.galapagos.config;
