# ok: gantry.dockerfile.missing-user
FROM golang:1.22.5 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

# ruleid: gantry.dockerfile.missing-user
FROM debian:12.6-slim
COPY --from=build /out/app /usr/local/bin/app
CMD ["app"]
