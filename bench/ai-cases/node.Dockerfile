FROM node:latest
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends python3
EXPOSE 3000
CMD npm start
